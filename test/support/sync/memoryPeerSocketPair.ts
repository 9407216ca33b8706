/**
 * Two connected in-memory PeerSockets, stepped by hand: nothing moves until
 * the test calls `deliver()`, so a test decides exactly which frames arrive
 * before which turn. Semantics follow a WebSocket over TCP where the tests
 * rely on them:
 * - frames arrive in order; a side that paused reading receives nothing
 *   (its inbox, and so the sender's `bufferedAmount`, grows) until resumed;
 * - `send`'s callback runs when the frame is delivered, so a peer that stops
 *   reading stalls the sender's queue (bounded: SendQueue overflows);
 * - a frame over the receiver's `setFrameLimit` is refused like `ws` does
 *   (an error with `refused: "tooBig"`, then close 1009 on both sides);
 * - `close` delivers a close frame after the frames before it; both sides
 *   then see `close(code, reason)`; `terminate` closes both at once (1006);
 * - a ping is answered with a pong; both count as a heartbeat.
 */
import type { PeerSocket, PeerSocketListener } from "../../../src-main/sync/PeerSocket";

type Item =
  | { kind: "frame"; data: Buffer; done: (err?: Error) => void }
  | { kind: "ping" }
  | { kind: "pong" }
  | { kind: "close"; code: number; reason: string };

export class MemoryPeerSocket implements PeerSocket {
  /** Every frame this side wrote, in order (for assertions on the wire). */
  readonly sent: Buffer[] = [];
  paused = false;
  /** How often reading was paused and resumed (each counts a change of state). */
  pauses = 0;
  resumes = 0;
  closed: { code: number; reason: string } | null = null;
  frameLimit = Number.POSITIVE_INFINITY;
  /** Items on their way to this side. */
  readonly inbox: Item[] = [];
  peer!: MemoryPeerSocket;
  private listener: PeerSocketListener | null = null;
  private closing = false;

  constructor(readonly name: string) {}

  get isOpen(): boolean {
    return this.closed === null && !this.closing;
  }

  get bufferedAmount(): number {
    let n = 0;
    for (const it of this.peer.inbox) if (it.kind === "frame") n += it.data.length;
    return n;
  }

  listen(listener: PeerSocketListener): void {
    this.listener = listener;
  }

  send(data: Buffer, done: (err?: Error) => void): void {
    if (!this.isOpen) return done(new Error(`${this.name}: socket is closed`));
    this.sent.push(data);
    this.peer.inbox.push({ kind: "frame", data, done });
  }

  ping(): void {
    if (this.isOpen) this.peer.inbox.push({ kind: "ping" });
  }

  close(code: number, reason: string): void {
    if (!this.isOpen) return;
    this.closing = true;
    this.peer.inbox.push({ kind: "close", code, reason });
  }

  terminate(): void {
    if (this.closed !== null) return;
    this.inbox.length = 0;
    this.peer.inbox.length = 0;
    this.inbox.push({ kind: "close", code: 1006, reason: "" });
    this.peer.inbox.push({ kind: "close", code: 1006, reason: "" });
  }

  pause(): void {
    if (!this.paused) this.pauses++;
    this.paused = true;
  }

  resume(): void {
    if (this.paused) this.resumes++;
    this.paused = false;
  }

  setFrameLimit(bytes: number): boolean {
    this.frameLimit = bytes;
    return true;
  }

  /** Delivers the next item waiting for this side; false when none can move. */
  step(): boolean {
    const item = this.inbox[0];
    if (item === undefined || this.closed !== null) return false;
    // A close (and a refusal) is read like data: behind a paused reader it waits too, except after terminate.
    if (this.paused && !(item.kind === "close" && item.code === 1006)) return false;
    this.inbox.shift();
    const l = this.listener;
    switch (item.kind) {
      case "frame":
        if (item.data.length > this.frameLimit) {
          l?.error({ message: "Max payload size exceeded", refused: "tooBig" });
          this.inbox.length = 0;
          this.closing = true;
          this.peer.inbox.push({ kind: "close", code: 1009, reason: "" });
          this.finish(1009, "");
          break;
        }
        item.done();
        l?.frame(item.data, true);
        break;
      case "ping":
        l?.heartbeat();
        this.peer.inbox.push({ kind: "pong" });
        break;
      case "pong":
        l?.heartbeat();
        break;
      case "close":
        if (!this.closing && item.code !== 1006) {
          // Echo the close frame (the closing handshake), then both sides are closed.
          this.closing = true;
          this.peer.inbox.push({ kind: "close", code: item.code, reason: item.reason });
        }
        this.finish(item.code, item.reason);
        break;
    }
    return true;
  }

  private finish(code: number, reason: string): void {
    if (this.closed !== null) return;
    this.closed = { code, reason };
    this.inbox.length = 0;
    this.listener?.close(code, reason);
  }
}

export interface MemoryPeerSocketPair {
  /** The accepting side ("in") and the dialling side ("out"). */
  server: MemoryPeerSocket;
  client: MemoryPeerSocket;
  /** Moves everything that can move, alternating sides one item at a time; returns how many items moved. */
  deliver(): number;
}

export function memoryPeerSocketPair(): MemoryPeerSocketPair {
  const server = new MemoryPeerSocket("server");
  const client = new MemoryPeerSocket("client");
  server.peer = client;
  client.peer = server;
  return {
    server,
    client,
    deliver: () => {
      let moved = 0;
      for (;;) {
        const a = server.step();
        const b = client.step();
        if (!a && !b) return moved;
        moved += (a ? 1 : 0) + (b ? 1 : 0);
      }
    },
  };
}
