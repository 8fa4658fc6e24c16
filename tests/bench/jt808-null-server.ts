/**
 * The JT/T 808 bench's do-nothing ceiling, run as its own process (forked by jt808-bench.ts): a TCP
 * server that splits frames with libs/jt808 and answers every frame at once with 0x8001 result 0
 * (so 0x0102 authenticates and 0x0200 is "committed"), storing nothing. Protocol over IPC:
 *   parent → {type:'start'}   child → {type:'listening', port}
 *   parent → {type:'count'}   child → {type:'count', reports, frames, connections, badFrames}
 *   parent → {type:'exit'}
 */
import { createServer, type Socket } from 'node:net';
import { Jt808FrameSplitter, decodeFrame, encodeFrame, platformGeneralResponse } from '@muckwatch/jt808';

const LOCATION = 0x0200;
const PLATFORM_GENERAL_RESPONSE = 0x8001;
/** Same frame bound as the real door's (apps/api/src/jt808/jt808-connection.ts DEFAULT_JT808_LIMITS). */
const MAX_FRAME_BYTES = 4096;

let reports = 0;
let frames = 0;
let badFrames = 0;
const sockets = new Set<Socket>();

const server = createServer((socket) => {
  sockets.add(socket);
  socket.setNoDelay(true);
  const splitter = new Jt808FrameSplitter({ maxFrameBytes: MAX_FRAME_BYTES });
  let serial = 0;
  socket.on('data', (chunk: Buffer) => {
    const replies: Buffer[] = [];
    for (const frame of splitter.push(chunk)) {
      const decoded = 'error' in frame ? frame : decodeFrame(frame.bytes);
      if ('error' in decoded) {
        badFrames += 1;
        continue;
      }
      frames += 1;
      const { header } = decoded;
      if (header.messageId === LOCATION) reports += 1;
      serial = (serial + 1) & 0xffff;
      const body = platformGeneralResponse(header.serial, header.messageId, 0);
      replies.push(encodeFrame({ messageId: PLATFORM_GENERAL_RESPONSE, phone: header.phone, serial, version: header.version, protocolVersion: header.protocolVersion }, body));
    }
    if (replies.length > 0) socket.write(replies.length === 1 ? replies[0]! : Buffer.concat(replies));
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => sockets.delete(socket));
});
server.maxConnections = 100_000;

function send(message: unknown): void {
  process.send?.(message);
}

process.on('message', (raw: { type: string }) => {
  if (raw.type === 'start') {
    server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
      const address = server.address();
      send({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
    });
  } else if (raw.type === 'count') {
    send({ type: 'count', reports, frames, badFrames, connections: sockets.size });
  } else if (raw.type === 'exit') {
    for (const socket of sockets) socket.destroy();
    server.close(() => process.exit(0));
  }
});
server.on('error', (error) => {
  send({ type: 'error', message: error.stack ?? String(error) });
  process.exit(1);
});
process.on('disconnect', () => process.exit(0));
