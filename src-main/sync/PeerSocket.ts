/**
 * The smallest shape of a connection the sync layer uses: send bytes, close,
 * pause/resume reading, its write buffer, and its events. `WsPeerSocket` is
 * the one implementation over `ws` (and the only sync file that imports it);
 * `testing/memoryPeerSocketPair` is the in-memory one the deterministic tests
 * drive.
 *
 * Invariants an implementation keeps:
 * - events arrive through the one listener given to `listen`, never before it
 *   is set, and `close` is the last one (at most once);
 * - `send`'s callback runs once per call (with an error when the frame was
 *   not written);
 * - `setFrameLimit` changes the largest frame accepted from the next frame
 *   on, checked on the frame's declared length before its payload is read
 *   (returns false when the transport cannot: the link still checks the
 *   delivered frame).
 */

/** Why the transport itself refused what the peer sent (it closes the socket itself). */
export type PeerSocketRefusal = "tooBig" | "protocol";

export interface PeerSocketError {
  message: string;
  /** Set when the transport refused the peer's bytes (oversize frame, bad opcode, ...); absent for I/O errors. */
  refused?: PeerSocketRefusal;
}

export interface PeerSocketListener {
  /** A dialled socket completed its upgrade (an accepted one is open from the start). */
  open(): void;
  frame(data: Buffer, isBinary: boolean): void;
  /** A ping or pong arrived: the peer is alive. */
  heartbeat(): void;
  error(err: PeerSocketError): void;
  close(code: number, reason: string): void;
}

export interface PeerSocket {
  /** Open for writing (dialled sockets are not until `open`). */
  readonly isOpen: boolean;
  /** Bytes written but not yet flushed to the peer. */
  readonly bufferedAmount: number;
  listen(listener: PeerSocketListener): void;
  send(data: Buffer, done: (err?: Error) => void): void;
  ping(): void;
  /** Graceful close: sends a close frame with `code` and `reason`. */
  close(code: number, reason: string): void;
  /** Drops the connection now, without the closing handshake. */
  terminate(): void;
  pause(): void;
  resume(): void;
  setFrameLimit(bytes: number): boolean;
}
