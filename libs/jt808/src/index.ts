export * from './framing.js';
export * from './header.js';
export * from './location.js';
export * from './messages.js';
export * from './reassembler.js';
export * from './downlink.js';
export * from './uplink.js';
export { decodeGbk, encodeGbk } from './text.js';
