import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/**
 * Follows MQTT's framing (a type byte, a 1–4 byte "remaining length", then that many bytes) over
 * a connection's bytes, and says no as soon as a packet declares more than `maxPacketBytes`, or
 * a length that is not one. It keeps only its place in the current packet, so a client streaming
 * an endless CONNECT costs a few bytes of state instead of a buffer the size of its lie.
 */
export class MqttFrameMeter {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private bodyLeft = 0;
  /** The length the refused packet declared. */
  declared = 0;

  constructor(private readonly maxPacketBytes: number) {}

  feed(chunk: Uint8Array): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= take;
        i += take;
        if (this.bodyLeft === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[i]!;
      i += 1;
      if (this.state === 'type') {
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes += 1;
      if (byte & 0x80) {
        if (this.lengthBytes === 4) {
          this.declared = Number.POSITIVE_INFINITY;
          return false;
        }
        continue;
      }
      if (this.length > this.maxPacketBytes) {
        this.declared = this.length;
        return false;
      }
      this.bodyLeft = this.length;
      this.state = this.length === 0 ? 'type' : 'body';
    }
    return true;
  }
}

/**
 * The connection as the broker sees it: the socket's bytes pass through unchanged while every
 * packet stays within `maxPacketBytes`; the first packet that declares more closes the socket
 * before its body is read (Aedes has no packet-size limit of its own).
 */
export function guardPacketSize(socket: Socket, maxPacketBytes: number, onRefused: (declaredBytes: number) => void): Duplex {
  const meter = new MqttFrameMeter(maxPacketBytes);
  const connection = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (!meter.feed(chunk)) {
      socket.pause();
      onRefused(meter.declared);
      connection.destroy();
      return;
    }
    if (!connection.push(chunk)) socket.pause();
  });
  socket.on('end', () => connection.push(null));
  socket.on('error', (error) => connection.destroy(error));
  socket.on('close', () => connection.destroy());
  return connection;
}
