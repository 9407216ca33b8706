/**
 * One WebSocket connection to one peer, either direction: the handshake,
 * reconciliation, live changes and keepalive. Symmetric after the handshake.
 *
 * Invariants:
 * - nothing a peer sends is applied before it proved its key (handshake);
 *   before that, frames are capped at `maxPreAuthFrameBytes` (on the frame
 *   header, see setFrameLimit) and only a control frame is decoded at all:
 *   an unauthenticated peer costs a few KiB and one small JSON parse;
 *   anything refused closes the link with a SyncCloseCode and a reason, is
 *   logged once, and changes nothing;
 * - no ws callback throws: each handler is wrapped and a failure closes the
 *   link (4000) instead of reaching the process;
 * - received frames are applied in arrival order, at most `applyChunk` changes per
 *   event-loop turn; above `maxRecvQueueBytes` the socket is paused, so a
 *   flooding peer is throttled by TCP, not buffered in our memory;
 * - a peer gets live changes only after we planned its catch-up (its `sync`),
 *   so every change reaches it exactly once: in the catch-up or live. The
 *   plan is computed in slices (other work runs in between); changes applied
 *   meanwhile are held here and sent right after the catch-up, minus any the
 *   plan already carries.
 */
import { randomBytes } from "node:crypto";
import type { RawData, WebSocket } from "ws";
import { changeIdOf } from "../crdt/changeCodec";
import type { ReceiveResult } from "../crdt/Replica";
import type { Logger } from "../base/Logger";
import { LinkReceiver } from "./LinkReceiver";
import { SendQueue } from "./SendQueue";
import { SyncCloseCode } from "./SyncCloseCode";
import { decodeSyncFrame, encodeControl, ENVELOPE_VERSION, FRAME_CONTROL } from "./SyncFrame";
import type { SyncMessage } from "./SyncMessage";
import { handshakeChallenge, type HandshakeParams } from "./handshakeChallenge";
import type { PeerHost } from "./PeerHost";
import { setFrameLimit } from "./setFrameLimit";

export type LinkState = "handshake" | "syncing" | "live" | "closed";

export interface LinkClosed {
  authed: boolean;
  code: number;
  reason: string;
}

export interface PeerLinkOptions {
  ws: WebSocket;
  direction: "in" | "out";
  url?: string;
  host: PeerHost;
  onAuthed?: () => void;
  onClosed?: (info: LinkClosed) => void;
}

export class PeerLink {
  readonly direction: "in" | "out";
  readonly url: string | undefined;
  state: LinkState = "handshake";
  remoteKey: string | null = null;
  lastSeen: number | null = null;
  /** Accepts live changes (its catch-up is being planned, or was). */
  live = false;
  readonly send: SendQueue;
  readonly receiver: LinkReceiver;
  log: Logger;
  private readonly ws: WebSocket;
  private readonly host: PeerHost;
  private readonly nonce = randomBytes(32).toString("hex");
  private serverNonce: string | null = null;
  private alive = true;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private closedInfo: LinkClosed | null = null;
  /** Live changes applied while this peer's catch-up is being planned (null when not planning). */
  private held: { changes: readonly Uint8Array[]; ownSeq: number | undefined }[] | null = null;
  private heldBytes = 0;

  constructor(private readonly options: PeerLinkOptions) {
    this.ws = options.ws;
    this.direction = options.direction;
    this.url = options.url;
    this.host = options.host;
    this.log = this.host.log.child({ dir: this.direction, ...(this.url ? { url: this.url } : {}) });
    this.send = new SendQueue(this.ws, this.host.limits, {
      loadChange: (id) => this.host.replica.getChange(id),
      onOverflow: (why) => this.close(SyncCloseCode.lagging, `peer lags: ${why}`),
      onDelivered: (seq) => this.host.noteDelivered(seq),
      onWriteError: (err) => this.log.debug("sync: write failed", { err }),
      onOversize: (count) => this.log.error("sync: changes larger than a frame cannot be sent", { count, maxFrameBytes: this.host.limits.maxFrameBytes }),
    });
    this.receiver = new LinkReceiver(this, this.host);
    // Until the peer proves its key, frames are small; a client socket gets its receiver on open.
    if (this.ws.readyState === this.ws.OPEN) setFrameLimit(this.ws, this.host.limits.maxPreAuthFrameBytes);
    else this.ws.once("open", () => this.guard(() => this.limitPreAuth()));
    this.ws.on("message", (data, isBinary) => this.guard(() => this.onFrame(data, isBinary)));
    this.ws.on("pong", () => this.touch());
    this.ws.on("ping", () => this.touch());
    this.ws.on("error", (err) => this.guard(() => this.onSocketError(err)));
    this.ws.on("close", (code, reason) => this.guard(() => this.finish(code, reason.toString("utf8") || "closed by peer")));
    this.handshakeTimer = setTimeout(
      () => this.close(SyncCloseCode.handshakeTimeout, "handshake timed out"),
      this.host.limits.handshakeTimeoutMs,
    );
    this.handshakeTimer.unref();
    if (this.direction === "in") {
      // Debug: every connection that proves nothing would otherwise be a line; `handshake ok` says who connected.
      this.log.debug("sync: peer connected", { remote: "unauthenticated" });
      this.control({ t: "hello", workspace: this.host.replica.workspace, node: this.host.identity.publicKey, nonce: this.nonce });
    }
  }

  get authed(): boolean {
    return this.remoteKey !== null && this.state !== "handshake";
  }

  control(message: SyncMessage): void {
    this.send.frame(encodeControl(message));
  }

  /** Sends live changes if this peer's catch-up planning has begun (held until the plan is queued). */
  sendLive(changes: readonly Uint8Array[], ownSeq?: number): void {
    if (!this.live || this.state === "closed" || changes.length === 0) return;
    if (this.held === null) return this.send.changes(changes, ownSeq);
    this.held.push({ changes, ownSeq });
    for (const c of changes) this.heldBytes += c.length;
    // The same bound as the send queue: a plan that outlasts that much traffic means this link cannot keep up.
    if (this.heldBytes > this.host.limits.maxQueuedBytes) this.close(SyncCloseCode.lagging, "peer lags: live changes held during planning over the bound");
  }

  /** From now on live changes for this peer are held until `endCatchUp` (its plan reads the replica in slices). */
  beginCatchUp(): void {
    this.live = true;
    this.held = [];
    this.heldBytes = 0;
  }

  /** Queues the held live changes after the catch-up that was just queued, minus those the plan carries. */
  endCatchUp(planned: readonly string[]): void {
    const held = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    if (held.length === 0 || this.state === "closed") return;
    const inPlan = new Set(planned);
    for (const h of held) {
      const rest = inPlan.size === 0 ? h.changes : h.changes.filter((c) => !inPlan.has(changeIdOf(c.subarray(65))));
      if (rest.length > 0) this.send.changes(rest, h.ownSeq);
    }
  }

  /** Closes with a protocol code; logged once; safe to call repeatedly. */
  close(code: number, reason: string): void {
    if (this.state === "closed") return;
    const level = code === SyncCloseCode.normal || code === SyncCloseCode.goingAway ? "info" : "warn";
    this.log[level]("sync: closing link", { peer: this.remoteKey, code, reason });
    try {
      this.ws.close(code, reason.slice(0, 120));
    } catch (err) {
      this.log.debug("sync: close failed", { err });
    }
    // A peer that never reads never completes the closing handshake either.
    setTimeout(() => this.ws.terminate(), 2_000).unref();
    this.finish(code, reason);
  }

  touch(): void {
    this.alive = true;
    this.lastSeen = Date.now();
  }

  /** Called by the receiver when our catch-up is planned and theirs has arrived. */
  updateState(): void {
    if (this.state !== "syncing" && this.state !== "live") return;
    const next: LinkState = this.live && this.held === null && this.receiver.gotReady ? "live" : "syncing";
    if (next !== this.state) {
      this.state = next;
      this.log.info(`sync: link ${next}`, { peer: this.remoteKey });
    }
    this.host.linkChanged(this);
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      // A bug or a hostile input we did not foresee: drop this peer, keep the process.
      this.log.error("sync: link handler failed", { err, peer: this.remoteKey });
      this.close(SyncCloseCode.badFrame, "internal error handling a frame");
    }
  }

  private onSocketError(err: Error): void {
    const wsCode = (err as NodeJS.ErrnoException).code;
    if (typeof wsCode === "string" && wsCode.startsWith("WS_ERR_")) {
      // ws refused what the peer sent (oversize frame, bad opcode, ...) and closes itself (1009 / 1002):
      // a refusal like ours, so it is logged like ours.
      const code = wsCode === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" ? SyncCloseCode.tooBig : SyncCloseCode.protocolError;
      this.log.warn("sync: closing link", { peer: this.remoteKey, code, reason: err.message });
      // ws already wrote its close frame and would read (and discard) the rest of the frame until the peer
      // answers; a peer that proved nothing gets no graceful close: stop reading now.
      if (this.state === "handshake") this.ws.terminate();
      return;
    }
    this.log.debug("sync: socket error", { err });
  }

  private limitPreAuth(): void {
    if (this.state === "handshake") setFrameLimit(this.ws, this.host.limits.maxPreAuthFrameBytes);
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (this.state === "closed") return;
    this.touch();
    if (!isBinary) return this.close(SyncCloseCode.badFrame, "text frames are not part of the protocol");
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    this.receiver.bytesIn += bytes.length;
    if (this.state === "handshake") {
      // Checked on the raw bytes, before any decoding: an unauthenticated peer gets nothing parsed but a small control frame.
      if (bytes.length > this.host.limits.maxPreAuthFrameBytes) return this.close(SyncCloseCode.tooBig, "frame over the pre-handshake limit");
      if (bytes.length >= 2 && bytes[0] === ENVELOPE_VERSION && bytes[1] !== FRAME_CONTROL) {
        return this.close(SyncCloseCode.badFrame, "changes before the handshake");
      }
      const first = decodeSyncFrame(bytes);
      if (!first.ok) return this.close(first.code, first.reason);
      if (first.kind !== "control") return this.close(SyncCloseCode.badFrame, "changes before the handshake");
      return this.handshake(first.message);
    }
    const frame = decodeSyncFrame(bytes);
    if (!frame.ok) return this.close(frame.code, frame.reason);
    if (frame.kind === "control" && (frame.message.t === "hello" || frame.message.t === "auth" || frame.message.t === "welcome")) {
      return this.close(SyncCloseCode.badFrame, `unexpected ${frame.message.t} after the handshake`);
    }
    this.receiver.push(frame.kind === "control" ? { kind: "control", message: frame.message } : { kind: "changes", changes: frame.changes, bytes: bytes.length });
  }

  private handshake(m: SyncMessage): void {
    const me = this.host.identity.publicKey;
    const workspace = this.host.replica.workspace;
    if (this.direction === "in") {
      if (m.t !== "auth") return this.close(SyncCloseCode.badFrame, `expected auth, got ${m.t}`);
      if (!this.admissible(m.workspace, m.node)) return;
      const p: HandshakeParams = { workspace, serverKey: me, clientKey: m.node, serverNonce: this.nonce, clientNonce: m.nonce };
      if (!this.host.verifier.verify(Buffer.from(m.sig, "hex"), handshakeChallenge("client", p), m.node)) {
        return this.close(SyncCloseCode.authFailed, "handshake signature does not verify");
      }
      this.remoteKey = m.node;
      this.control({ t: "welcome", sig: Buffer.from(this.host.identity.sign(handshakeChallenge("server", p))).toString("hex") });
      return this.authenticated();
    }
    if (this.serverNonce === null) {
      if (m.t !== "hello") return this.close(SyncCloseCode.badFrame, `expected hello, got ${m.t}`);
      if (!this.admissible(m.workspace, m.node)) return;
      this.remoteKey = m.node;
      this.serverNonce = m.nonce;
      const p: HandshakeParams = { workspace, serverKey: m.node, clientKey: me, serverNonce: m.nonce, clientNonce: this.nonce };
      const sig = Buffer.from(this.host.identity.sign(handshakeChallenge("client", p))).toString("hex");
      this.control({ t: "auth", workspace, node: me, nonce: this.nonce, sig });
      // Pipelined: the vector only names hashes and seqs; nothing is applied before `welcome` verifies.
      this.control(this.host.syncMessage());
      return;
    }
    if (m.t !== "welcome") return this.close(SyncCloseCode.badFrame, `expected welcome, got ${m.t}`);
    const server = this.remoteKey!;
    const p: HandshakeParams = { workspace, serverKey: server, clientKey: me, serverNonce: this.serverNonce, clientNonce: this.nonce };
    if (!this.host.verifier.verify(Buffer.from(m.sig, "hex"), handshakeChallenge("server", p), server)) {
      return this.close(SyncCloseCode.authFailed, "server handshake signature does not verify");
    }
    this.authenticated(false);
  }

  private admissible(workspace: string, node: string): boolean {
    if (workspace !== this.host.replica.workspace) {
      this.close(SyncCloseCode.wrongWorkspace, `wrong workspace: this node serves ${this.host.replica.workspace}`);
      return false;
    }
    if (node === this.host.identity.publicKey) {
      this.close(SyncCloseCode.self, "connected to itself");
      return false;
    }
    if (!this.host.isTrusted(node)) {
      this.close(SyncCloseCode.untrusted, "node key is not trusted");
      return false;
    }
    return true;
  }

  private authenticated(sendSync = true): void {
    clearTimeout(this.handshakeTimer);
    this.state = "syncing";
    // From the next frame on (the client's pipelined `sync`, the server's `sync` after `welcome`).
    setFrameLimit(this.ws, this.host.limits.maxFrameBytes);
    this.log = this.log.child({ peer: this.remoteKey });
    this.log.info("sync: handshake ok");
    if (sendSync) this.control(this.host.syncMessage());
    this.pingTimer = setInterval(() => this.guard(() => this.keepalive()), this.host.limits.pingIntervalMs);
    this.pingTimer.unref();
    this.options.onAuthed?.();
    this.host.linkChanged(this);
  }

  private keepalive(): void {
    // While we are behind on its frames (socket paused by us) its pongs sit unread: that is our slowness, not its death.
    if (this.receiver.busy()) this.alive = true;
    if (!this.alive) return this.close(SyncCloseCode.unresponsive, "no pong within two ping intervals");
    this.alive = false;
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  private finish(code: number, reason: string): void {
    if (this.closedInfo) return;
    const authed = this.authed;
    this.closedInfo = { authed, code, reason };
    this.state = "closed";
    this.live = false;
    this.held = null;
    clearTimeout(this.handshakeTimer);
    clearInterval(this.pingTimer);
    this.send.stop();
    this.receiver.stop();
    this.log.info("sync: disconnected", { peer: this.remoteKey, code, reason, bytesIn: this.receiver.bytesIn, bytesOut: this.send.bytesOut });
    this.host.linkClosed(this);
    this.options.onClosed?.(this.closedInfo);
  }

  /** For the receiver: results of applying `changes` from this peer (origin-tagged for relay). */
  apply(changes: Uint8Array[]): ReceiveResult[] {
    return this.host.receive(this, changes);
  }

  pauseSocket(): void {
    this.ws.pause();
  }

  resumeSocket(): void {
    if (this.state !== "closed") this.ws.resume();
  }
}
