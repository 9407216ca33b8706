/**
 * The sync layer's one transport over `ws` — the only sync file that imports
 * it: a `PeerSocket` over a `ws` WebSocket, dialling one (`dialPeerSocket`),
 * and accepting them from HTTP upgrades (`PeerSocketServer`).
 *
 * Frame limit (`setFrameLimit`): `ws` takes `maxPayload` once per server or
 * client, but the sync protocol wants two limits on one socket: a few KiB
 * until the peer proved its key (nothing unauthenticated may make us buffer a
 * 1 MiB frame), the full frame size after. `ws` checks the limit against each
 * frame's *declared* length before buffering its payload
 * (Receiver#haveLength, `_maxPayload`), closing with 1009 — so lowering it
 * refuses an oversized unauthenticated frame on its header, without reading
 * it. There is no public setter, so this writes the receiver's field. The
 * field is checked to exist and hold a number; when it does not (a `ws`
 * upgrade renamed it) `setFrameLimit` returns false and the link still
 * enforces the limit on the delivered frame — only the buffering bound is
 * lost, and `test/integration/syncAttacksPreAuth.test.ts` fails to say so.
 * Frames are parsed one after another and the next frame's header is read
 * only after the previous message was emitted (synchronously with
 * `allowSynchronousEvents`, the default), so a limit changed in a message
 * handler applies from the very next frame on. A dialled socket has no
 * receiver before its upgrade completes: set it on `open`.
 *
 * Invariants: no listener is attached before `listen`; every `ws` event maps
 * to one PeerSocketListener call; `ws`'s own refusals (`WS_ERR_*`: oversize
 * frame, bad opcode, ...) are reported as `refused` errors (`ws` closes the
 * socket itself with 1009 / 1002).
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { PeerSocket, PeerSocketError, PeerSocketListener } from "./PeerSocket";

interface ReceiverInternals {
  _maxPayload?: unknown;
}

export class WsPeerSocket implements PeerSocket {
  constructor(private readonly ws: WebSocket) {}

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  listen(l: PeerSocketListener): void {
    if (this.ws.readyState === this.ws.CONNECTING) this.ws.once("open", () => l.open());
    this.ws.on("message", (data, isBinary) => l.frame(toBuffer(data), isBinary));
    this.ws.on("pong", () => l.heartbeat());
    this.ws.on("ping", () => l.heartbeat());
    this.ws.on("error", (err) => l.error(describe(err)));
    this.ws.on("close", (code, reason) => l.close(code, reason.toString("utf8")));
  }

  send(data: Buffer, done: (err?: Error) => void): void {
    this.ws.send(data, { binary: true }, (err) => done(err ?? undefined));
  }

  ping(): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  setFrameLimit(bytes: number): boolean {
    const receiver = (this.ws as unknown as { _receiver?: ReceiverInternals | null })._receiver;
    if (receiver === null || receiver === undefined || typeof receiver._maxPayload !== "number") return false;
    receiver._maxPayload = bytes;
    return true;
  }
}

/** Opens a client socket to `url` (open once its `open` event fires). Throws on an invalid URL. */
export function dialPeerSocket(url: string, options: { maxFrameBytes: number; handshakeTimeoutMs: number }): PeerSocket {
  return new WsPeerSocket(new WebSocket(url, { maxPayload: options.maxFrameBytes, handshakeTimeout: options.handshakeTimeoutMs }));
}

/** Accepts sync sockets from HTTP upgrades (mount behind the host's `/sync` route). */
export class PeerSocketServer {
  private readonly wss: WebSocketServer;

  constructor(maxFrameBytes: number, onError: (err: Error) => void) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
    this.wss.on("error", onError);
  }

  /** Completes the upgrade; may throw (the caller destroys the socket). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, accepted: (socket: PeerSocket) => void): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => accepted(new WsPeerSocket(ws)));
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function toBuffer(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
}

function describe(err: Error): PeerSocketError {
  const wsCode = (err as NodeJS.ErrnoException).code;
  if (typeof wsCode !== "string" || !wsCode.startsWith("WS_ERR_")) return { message: err.message };
  return { message: err.message, refused: wsCode === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" ? "tooBig" : "protocol" };
}
