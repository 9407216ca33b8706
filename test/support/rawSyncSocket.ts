/**
 * A WebSocket client by hand over `node:net`, for attacks a real client
 * library will not perform: frame headers that promise more than is sent,
 * partial frames held open, upgrades with arbitrary headers. RFC 6455 only;
 * client frames are masked with a zero key (the payload bytes are unchanged).
 */
import { connect, type Socket } from "node:net";

export interface RawUpgrade {
  socket: Socket;
  /** HTTP status of the upgrade response (101 when accepted). */
  status: number;
  /** Bytes received after the response head (server frames), growing. */
  received: Buffer[];
  /** Resolves when the server ends or resets the connection. */
  ended: Promise<void>;
}

export function rawUpgrade(port: number, headers: Record<string, string> = {}, path = "/sync"): Promise<RawUpgrade> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let head = Buffer.alloc(0);
    const received: Buffer[] = [];
    let done = false;
    const ended = new Promise<void>((r) => socket.once("close", () => r()));
    socket.on("error", (err) => {
      if (!done) reject(err);
    });
    socket.on("data", (chunk: Buffer) => {
      if (done) return void received.push(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      done = true;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head.subarray(0, end).toString("latin1"))?.[1] ?? 0);
      if (head.length > end + 4) received.push(head.subarray(end + 4));
      resolve({ socket, status, received, ended });
    });
    socket.once("close", () => {
      if (!done) reject(new Error("closed before an upgrade response"));
    });
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${Buffer.from("0123456789abcdef").toString("base64")}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
    );
  });
}

/** Header of one final, masked client frame of `length` payload bytes (opcode 2 = binary). */
export function frameHeader(length: number, opcode = 2): Buffer {
  const mask = Buffer.alloc(4);
  if (length < 126) return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | length]), mask]);
  if (length < 65536) {
    const h = Buffer.from([0x80 | opcode, 0x80 | 126, 0, 0]);
    h.writeUInt16BE(length, 2);
    return Buffer.concat([h, mask]);
  }
  const h = Buffer.alloc(10);
  h[0] = 0x80 | opcode;
  h[1] = 0x80 | 127;
  h.writeBigUInt64BE(BigInt(length), 2);
  return Buffer.concat([h, mask]);
}

/** The close code in the first close frame the server sent (0 if none yet). */
export function closeCodeOf(received: readonly Buffer[]): number {
  const all = Buffer.concat(received);
  for (let at = 0; at + 2 <= all.length; ) {
    const opcode = all[at]! & 0x0f;
    let len = all[at + 1]! & 0x7f;
    let off = at + 2;
    if (len === 126) {
      len = all.readUInt16BE(off);
      off += 2;
    } else if (len === 127) {
      len = Number(all.readBigUInt64BE(off));
      off += 8;
    }
    if (opcode === 0x8) return off + 2 <= all.length ? all.readUInt16BE(off) : 0;
    at = off + len;
  }
  return 0;
}
