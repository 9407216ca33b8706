/**
 * One peer connection's protocol as a pure state machine: the handshake,
 * frame admission, keepalive and closing, with the reconciliation that
 * follows in Reconciler. Inputs are socket events (frames, heartbeats,
 * errors, close), ticks, live changes to relay, apply results and plan
 * results; outputs are LinkActions that its driver (PeerLink) executes. It
 * imports no socket, sets no timer and reads no clock: time comes in as
 * arguments (`now`: wall ms for ticks and `lastSeen`, monotonic ms for the
 * apply turns), the handshake nonce comes in with the options.
 *
 * Invariants:
 * - nothing a peer sends is applied before it proved its key (handshake);
 *   before that, frames are capped at `maxPreAuthFrameBytes` (a `frameLimit`
 *   action: the transport refuses larger ones on the header) and only a
 *   control frame is decoded at all: an unauthenticated peer costs a few KiB
 *   and one small JSON parse;
 * - after the key proof, `host.admit(key, inviteKey)` is the one admission
 *   decision (`admitted`): a current member, or an invite proven in `auth`
 *   (role "invite"); a refusal closes with its code (4010 not a member, 4004
 *   not a trusted key) before any catch-up. On the server it is asked once
 *   `auth` (and any invite proof) verified; on the client once `welcome`
 *   verified. `recheck()` asks again when membership changes (a removed
 *   member's link closes);
 * - anything refused closes the link with a SyncCloseCode and a reason, is
 *   logged once, and changes nothing; after `close` the machine emits
 *   nothing more;
 * - no handshake within `handshakeTimeoutMs` closes with 4005; after it a
 *   ping every `pingIntervalMs`, and a peer silent for two of them closes
 *   with 4007 (not while its frames wait here: that is our slowness).
 */
import type { ReceiveResult } from "../crdt/Replica";
import type { Logger } from "../base/Logger";
import type { LinkAction } from "./LinkAction";
import type { PeerHost } from "./PeerHost";
import type { PeerSocketError } from "./PeerSocket";
import { Reconciler } from "./Reconciler";
import { SyncCloseCode } from "./SyncCloseCode";
import { decodeSyncFrame, ENVELOPE_VERSION, FRAME_CONTROL } from "./SyncFrame";
import type { SyncMessage } from "./SyncMessage";
import { handshakeChallenge, type HandshakeParams } from "./handshakeChallenge";
import type { PlanPart } from "./planCatchUp";

export type LinkState = "handshake" | "syncing" | "live" | "closed";

/** What the machine reads from its host: synchronous, read-only (applying is an action). */
export type LinkMachineHost = Pick<PeerHost, "replica" | "identity" | "limits" | "log" | "verifier" | "admit" | "inviteSigner" | "syncMessage">;

export interface LinkMachineOptions {
  direction: "in" | "out";
  url?: string;
  host: LinkMachineHost;
  /** Our fresh handshake nonce: 32 random bytes, hex. */
  nonce: string;
  /** Wall ms when the socket was attached (the handshake deadline counts from it). */
  now: number;
}

export class LinkMachine {
  readonly direction: "in" | "out";
  state: LinkState = "handshake";
  remoteKey: string | null = null;
  /** The invite this (incoming) peer proved it holds, if any: re-checked with `admit` when membership changes. */
  inviteKey: string | null = null;
  lastSeen: number | null = null;
  bytesIn = 0;
  log: Logger;
  readonly reconciler: Reconciler;
  private readonly host: LinkMachineHost;
  private readonly nonce: string;
  private serverNonce: string | null = null;
  private provedKey = false;
  private alive = true;
  private handshakeDeadline: number;
  private nextPingAt: number | null = null;
  private out: LinkAction[] = [];

  constructor(options: LinkMachineOptions) {
    this.direction = options.direction;
    this.host = options.host;
    this.nonce = options.nonce;
    this.handshakeDeadline = options.now + this.host.limits.handshakeTimeoutMs;
    this.log = this.host.log.child({ dir: this.direction, ...(options.url !== undefined ? { url: options.url } : {}) });
    this.reconciler = new Reconciler(
      {
        logger: () => this.log,
        emit: (a) => this.out.push(a),
        close: (code, reason) => this.closeNow(code, reason),
        progressed: () => this.progressed(),
      },
      this.host,
    );
  }

  /** Both keys proved (stays true once the link closes). */
  get authed(): boolean {
    return this.provedKey;
  }

  /** Accepts live changes: its catch-up is being planned, or was. */
  get live(): boolean {
    return this.reconciler.live && this.state !== "closed";
  }

  /** The first actions: the pre-handshake frame limit; a server also says hello. */
  start(): LinkAction[] {
    this.out.push({ t: "frameLimit", bytes: this.host.limits.maxPreAuthFrameBytes });
    if (this.direction === "in") {
      // Debug: every connection that proves nothing would otherwise be a line; `handshake ok` says who connected.
      this.log.debug("sync: peer connected", { remote: "unauthenticated" });
      this.control({ t: "hello", workspace: this.host.replica.workspace, node: this.host.identity.publicKey, nonce: this.nonce });
    }
    return this.take();
  }

  /** A dialled socket opened: only now does it take a frame limit. */
  opened(): LinkAction[] {
    if (this.state === "handshake") this.out.push({ t: "frameLimit", bytes: this.host.limits.maxPreAuthFrameBytes });
    return this.take();
  }

  frame(bytes: Buffer, isBinary: boolean, now: number): LinkAction[] {
    if (this.state !== "closed") this.onFrame(bytes, isBinary, now);
    return this.take();
  }

  heartbeat(now: number): LinkAction[] {
    this.touch(now);
    return this.take();
  }

  /** Time passed: the handshake deadline, the keepalive. */
  tick(now: number): LinkAction[] {
    if (this.state === "handshake" && now >= this.handshakeDeadline) this.closeNow(SyncCloseCode.handshakeTimeout, "handshake timed out");
    else if (this.nextPingAt !== null && this.state !== "closed" && now >= this.nextPingAt) this.keepalive(now);
    return this.take();
  }

  /** When `tick` next has something to do (wall ms), or null. */
  nextWake(): number | null {
    if (this.state === "closed") return null;
    return this.state === "handshake" ? this.handshakeDeadline : this.nextPingAt;
  }

  /** The transport reported an error; a refusal (it closes the socket itself) is logged like ours. */
  socketError(err: PeerSocketError): LinkAction[] {
    if (err.refused === undefined) {
      this.log.debug("sync: socket error", { err: err.message });
      return this.take();
    }
    const code = err.refused === "tooBig" ? SyncCloseCode.tooBig : SyncCloseCode.protocolError;
    this.log.warn("sync: closing link", { peer: this.remoteKey, code, reason: err.message });
    // The transport already wrote its close frame and would read (and discard) the rest of the frame until the
    // peer answers; a peer that proved nothing gets no graceful close: stop reading now.
    if (this.state === "handshake") this.out.push({ t: "terminate" });
    return this.take();
  }

  /** The socket closed (either side): nothing runs after this. */
  socketClosed(): void {
    this.state = "closed";
    this.reconciler.stop();
  }

  /** Closes with a protocol code; logged once; nothing after the first. */
  close(code: number, reason: string): LinkAction[] {
    this.closeNow(code, reason);
    return this.take();
  }

  /** One turn of applying received frames (`now`: monotonic ms). */
  drain(now: number): LinkAction[] {
    if (this.state !== "closed") this.reconciler.drain(now);
    return this.take();
  }

  /** The results of the `apply` action just executed (`now`: monotonic ms). */
  applied(results: readonly ReceiveResult[], now: number): LinkAction[] {
    this.reconciler.applied(results, now);
    return this.take();
  }

  planned(ids: string[]): LinkAction[] {
    this.reconciler.planned(ids);
    return this.take();
  }

  /** Part of a catch-up plan still being computed (`planCatchUp`'s `stream`). */
  plannedPart(part: PlanPart): LinkAction[] {
    this.reconciler.plannedPart(part);
    return this.take();
  }

  planFailed(err: unknown): LinkAction[] {
    this.reconciler.planFailed(err);
    return this.take();
  }

  /** Changes applied here, to relay: sent if its catch-up planning has begun (held until the plan is queued). */
  sendLive(changes: readonly Uint8Array[], ownSeq: number | undefined): LinkAction[] {
    this.reconciler.sendLive(changes, ownSeq);
    return this.take();
  }

  /** Frames received and not yet applied, or a plan being computed. */
  busy(): boolean {
    return this.reconciler.busy();
  }

  private take(): LinkAction[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private control(message: SyncMessage): void {
    this.out.push({ t: "control", message });
  }

  private closeNow(code: number, reason: string): void {
    if (this.state === "closed") return;
    const level = code === SyncCloseCode.normal || code === SyncCloseCode.goingAway ? "info" : "warn";
    this.log[level]("sync: closing link", { peer: this.remoteKey, code, reason });
    this.state = "closed";
    this.reconciler.stop();
    this.out.push({ t: "close", code, reason });
  }

  private touch(now: number): void {
    this.alive = true;
    this.lastSeen = now;
  }

  private keepalive(now: number): void {
    this.nextPingAt = now + this.host.limits.pingIntervalMs;
    // While we are behind on its frames (socket paused by us) its pongs sit unread: that is our slowness, not its death.
    if (this.reconciler.busy()) this.alive = true;
    if (!this.alive) return this.closeNow(SyncCloseCode.unresponsive, "no pong within two ping intervals");
    this.alive = false;
    this.out.push({ t: "ping" });
  }

  /** Our catch-up is planned or theirs arrived: syncing → live when both are done. */
  private progressed(): void {
    if (this.state !== "syncing" && this.state !== "live") return;
    const next: LinkState = this.reconciler.settled ? "live" : "syncing";
    if (next !== this.state) {
      this.state = next;
      this.log.info(`sync: link ${next}`, { peer: this.remoteKey });
    }
    this.out.push({ t: "changed" });
  }

  private onFrame(bytes: Buffer, isBinary: boolean, now: number): void {
    this.touch(now);
    if (!isBinary) return this.closeNow(SyncCloseCode.badFrame, "text frames are not part of the protocol");
    this.bytesIn += bytes.length;
    if (this.state === "handshake") {
      // Checked on the raw bytes, before any decoding: an unauthenticated peer gets nothing parsed but a small control frame.
      if (bytes.length > this.host.limits.maxPreAuthFrameBytes) return this.closeNow(SyncCloseCode.tooBig, "frame over the pre-handshake limit");
      if (bytes.length >= 2 && bytes[0] === ENVELOPE_VERSION && bytes[1] !== FRAME_CONTROL) {
        return this.closeNow(SyncCloseCode.badFrame, "changes before the handshake");
      }
      const first = decodeSyncFrame(bytes);
      if (!first.ok) return this.closeNow(first.code, first.reason);
      if (first.kind !== "control") return this.closeNow(SyncCloseCode.badFrame, "changes before the handshake");
      return this.handshake(first.message, now);
    }
    const frame = decodeSyncFrame(bytes);
    if (!frame.ok) return this.closeNow(frame.code, frame.reason);
    if (frame.kind === "control" && (frame.message.t === "hello" || frame.message.t === "auth" || frame.message.t === "welcome")) {
      return this.closeNow(SyncCloseCode.badFrame, `unexpected ${frame.message.t} after the handshake`);
    }
    this.reconciler.push(frame.kind === "control" ? { kind: "control", message: frame.message } : { kind: "changes", changes: frame.changes, bytes: bytes.length });
  }

  private handshake(m: SyncMessage, now: number): void {
    const me = this.host.identity.publicKey;
    const workspace = this.host.replica.workspace;
    if (this.direction === "in") {
      if (m.t !== "auth") return this.closeNow(SyncCloseCode.badFrame, `expected auth, got ${m.t}`);
      if (!this.admissible(m.workspace, m.node)) return;
      const p: HandshakeParams = { workspace, serverKey: me, clientKey: m.node, serverNonce: this.nonce, clientNonce: m.nonce };
      if (!this.host.verifier.verify(Buffer.from(m.sig, "hex"), handshakeChallenge("client", p), m.node)) {
        return this.closeNow(SyncCloseCode.authFailed, "handshake signature does not verify");
      }
      if (m.invite && !this.host.verifier.verify(Buffer.from(m.invite.sig, "hex"), handshakeChallenge("invite", p), m.invite.key)) {
        return this.closeNow(SyncCloseCode.authFailed, "invite signature does not verify");
      }
      if (!this.admitted(m.node, m.invite?.key ?? null)) return;
      this.remoteKey = m.node;
      this.inviteKey = m.invite?.key ?? null;
      this.control({ t: "welcome", sig: Buffer.from(this.host.identity.sign(handshakeChallenge("server", p))).toString("hex") });
      return this.authenticated(true, now);
    }
    if (this.serverNonce === null) {
      if (m.t !== "hello") return this.closeNow(SyncCloseCode.badFrame, `expected hello, got ${m.t}`);
      if (!this.admissible(m.workspace, m.node)) return;
      this.remoteKey = m.node;
      this.serverNonce = m.nonce;
      const p: HandshakeParams = { workspace, serverKey: m.node, clientKey: me, serverNonce: m.nonce, clientNonce: this.nonce };
      const sig = Buffer.from(this.host.identity.sign(handshakeChallenge("client", p))).toString("hex");
      const invite = this.host.inviteSigner();
      const inviteProof = invite ? { invite: { key: invite.publicKey, sig: Buffer.from(invite.sign(handshakeChallenge("invite", p))).toString("hex") } } : {};
      this.control({ t: "auth", workspace, node: me, nonce: this.nonce, sig, ...inviteProof });
      // Pipelined: the vector only names hashes and seqs; nothing is applied before `welcome` verifies.
      this.control(this.host.syncMessage());
      return;
    }
    if (m.t !== "welcome") return this.closeNow(SyncCloseCode.badFrame, `expected welcome, got ${m.t}`);
    const server = this.remoteKey!;
    const p: HandshakeParams = { workspace, serverKey: server, clientKey: me, serverNonce: this.serverNonce, clientNonce: this.nonce };
    if (!this.host.verifier.verify(Buffer.from(m.sig, "hex"), handshakeChallenge("server", p), server)) {
      return this.closeNow(SyncCloseCode.authFailed, "server handshake signature does not verify");
    }
    if (!this.admitted(server, null)) return;
    this.authenticated(false, now);
  }

  /** Before the key proof: our workspace, not ourselves. */
  private admissible(workspace: string, node: string): boolean {
    if (workspace !== this.host.replica.workspace) {
      this.closeNow(SyncCloseCode.wrongWorkspace, `wrong workspace: this node serves ${this.host.replica.workspace}`);
      return false;
    }
    if (node === this.host.identity.publicKey) {
      this.closeNow(SyncCloseCode.self, "connected to itself");
      return false;
    }
    return true;
  }

  /** After the key proof: the host's one admission decision (membership, invite, trusted keys). */
  private admitted(node: string, inviteKey: string | null): boolean {
    const refusal = this.host.admit(node, inviteKey);
    if (refusal === null) return true;
    this.closeNow(refusal.code, refusal.reason);
    return false;
  }

  /** Closes an authenticated link whose peer is no longer admitted (removed, or its invite used by another device). */
  recheck(): LinkAction[] {
    if (this.provedKey && this.remoteKey !== null && this.state !== "closed") {
      const refusal = this.host.admit(this.remoteKey, this.inviteKey);
      if (refusal !== null) this.closeNow(refusal.code, refusal.reason);
    }
    return this.take();
  }

  private authenticated(sendSync: boolean, now: number): void {
    this.provedKey = true;
    this.state = "syncing";
    // From the next frame on (the client's pipelined `sync`, the server's `sync` after `welcome`).
    this.out.push({ t: "frameLimit", bytes: this.host.limits.maxFrameBytes });
    this.log = this.log.child({ peer: this.remoteKey });
    this.log.info("sync: handshake ok");
    if (sendSync) this.control(this.host.syncMessage());
    this.nextPingAt = now + this.host.limits.pingIntervalMs;
    this.out.push({ t: "authed" }, { t: "changed" });
  }
}
