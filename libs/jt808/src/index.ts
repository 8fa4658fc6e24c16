export * from './framing.js';
export * from './header.js';
export * from './location.js';
export * from './messages.js';
export { decodeGbk, encodeGbk } from './text.js';
