/**
 * The sync layer of one node: a WebSocket endpoint (`handleUpgrade`, mount it
 * at `/sync`), outgoing rendezvous clients (`connect`), live relay of every
 * applied change, and a status with change events.
 *
 * Invariants:
 * - every applied change (local, or received from a peer) is queued once to
 *   every peer whose catch-up is planned, except the peer that sent us that
 *   very change — so a hub relays each change exactly once and never echoes;
 *   duplicates are not `applied`, so they are never relayed;
 * - the service owns no copy of replica state: vectors, heads and change
 *   bytes are read from the replica when needed;
 * - `close()` stops clients, closes links and the server; nothing runs after;
 * - an upgrade that carries an `Origin` header (a browser; peers never send
 *   one) is refused with 403, and one beyond `maxUnauthenticated` incoming
 *   sockets still in their handshake with 503 — both before any frame.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import { Ed25519Verifier } from "../crdt/Ed25519Verifier";
import type { Signer } from "../crdt/Identity";
import type { AppliedEvent, ReceiveResult, Replica } from "../crdt/Replica";
import type { PreparedBatch } from "../crdt/prepareBatch";
import { Emitter } from "../base/Emitter";
import type { Logger } from "../base/Logger";
import type { LinkScheduler } from "./LinkScheduler";
import { SPLIT_TURN_AT, type PeerHost, type Refusal } from "./PeerHost";
import { PeerLink, type LinkClosed } from "./PeerLink";
import type { PeerSocket } from "./PeerSocket";
import { RendezvousClient } from "./RendezvousClient";
import { SyncCloseCode } from "./SyncCloseCode";
import { DEFAULT_SYNC_LIMITS, type SyncLimits } from "./SyncLimits";
import type { SyncMessageOf } from "./SyncMessage";
import { MAX_FORK_AUTHORS, MAX_FORK_TIPS, MAX_HEADS } from "./SyncMessage";
import type { CatchUpProgress, RendezvousSource, SyncStatus } from "./SyncStatus";
import { PeerSocketServer } from "./WsPeerSocket";

export interface SyncServiceOptions {
  replica: Replica;
  identity: Signer;
  log: Logger;
  /** Hex node keys allowed to connect (either direction); empty or absent = any key (an extra network filter). */
  trustedKeys?: readonly string[];
  /** Who may be served after the key proof (the node: members and invitees); absent = anyone (sync unit tests). */
  admission?: Admission;
  limits?: Partial<SyncLimits>;
  /** Clocks and turns of the links (default: the real event loop; deterministic tests step their own). */
  scheduler?: LinkScheduler;
}

/** The membership side of admission (see `node/membershipAdmission`). */
export interface Admission {
  admit(nodeKey: string, inviteKey: string | null): Refusal | null;
  inviteSigner(): Signer | null;
}

export interface RendezvousHandle {
  readonly url: string;
  stop(): void;
  /** Skips the backoff wait: dials now. False when it was not waiting. */
  retryNow(): boolean;
}

export class SyncService implements PeerHost {
  readonly replica: Replica;
  readonly identity: Signer;
  readonly limits: SyncLimits;
  readonly log: Logger;
  readonly verifier = new Ed25519Verifier();
  private readonly trusted: ReadonlySet<string>;
  private readonly admission: Admission | undefined;
  private readonly server: PeerSocketServer;
  private readonly scheduler: LinkScheduler | undefined;
  private readonly links = new Set<PeerLink>();
  private readonly clients = new Set<RendezvousClient>();
  private readonly events: Emitter<SyncStatus>;
  private readonly unsubscribe: () => void;
  /** The link whose changes are being applied right now, and their ids (relay must skip it for those). */
  private inbound: { link: object; ids: Set<string> } | null = null;
  private deliveredSeq = 0;
  private refusedUpgrades = 0;
  private statusScheduled = false;
  private closed = false;

  constructor(options: SyncServiceOptions) {
    this.replica = options.replica;
    this.identity = options.identity;
    this.log = options.log.child({ svc: "sync" });
    this.limits = { ...DEFAULT_SYNC_LIMITS, ...options.limits };
    this.trusted = new Set(options.trustedKeys ?? []);
    this.admission = options.admission;
    this.events = new Emitter((err) => this.log.error("sync: status listener failed", { err }));
    this.scheduler = options.scheduler;
    this.server = new PeerSocketServer(this.limits.maxFrameBytes, (err) => this.log.warn("sync: server error", { err }));
    this.unsubscribe = this.replica.onApplied((e) => this.relay(e));
    if (this.identity.publicKey !== this.replica.author) throw new Error("sync identity must be the replica's author");
  }

  /** Mount on the HTTP host's upgrade routes at `/sync`. Never throws. */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (this.closed) {
      socket.destroy();
      return;
    }
    // A web page can open a WebSocket to any address and do the handshake with WebCrypto; browsers always send Origin.
    if (req.headers.origin !== undefined) return this.refuseUpgrade(socket, 403, "Forbidden", "browser origin", { origin: req.headers.origin.slice(0, 100) });
    if (this.unauthenticated() >= this.limits.maxUnauthenticated) {
      return this.refuseUpgrade(socket, 503, "Service Unavailable", "too many unauthenticated sync connections", { limit: this.limits.maxUnauthenticated });
    }
    try {
      this.server.handleUpgrade(req, socket, head, (peer) => this.attach(peer, "in"));
    } catch (err) {
      this.log.warn("sync: upgrade failed", { err });
      socket.destroy();
    }
  };

  /**
   * Keeps a connection to a rendezvous peer (reconnecting with backoff) until
   * stopped. `source` is only reported in the status.
   */
  connect(url: string, source: RendezvousSource = "setting"): RendezvousHandle {
    const client = new RendezvousClient(url, source, {
      limits: this.limits,
      log: this.log,
      attach: (socket, u, hooks) => this.attach(socket, "out", u, hooks),
      changed: () => this.scheduleStatus(),
    });
    this.clients.add(client);
    if (!this.closed) client.start();
    return {
      url,
      retryNow: () => client.retryNow(),
      stop: () => {
        client.stop();
        this.clients.delete(client);
        this.scheduleStatus();
      },
    };
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    return this.events.on(listener);
  }

  status(): SyncStatus {
    const peers = [...this.links].map((l) => ({
      nodeId: l.remoteKey,
      ...(l.url !== undefined ? { url: l.url } : {}),
      direction: l.direction,
      state: l.state === "closed" ? ("handshake" as const) : l.state,
      lastSeen: l.lastSeen,
      catchUp: l.catchUp ? { ...l.catchUp } : null,
      bytesIn: l.bytesIn,
      bytesOut: l.send.bytesOut,
      changesIn: l.changesIn,
      changesOut: l.send.changesOut,
    }));
    const catching = peers.filter((p) => p.catchUp !== null).map((p) => p.catchUp!);
    const catchUp: CatchUpProgress | null =
      catching.length === 0
        ? null
        : { expected: catching.reduce((n, c) => n + c.expected, 0), received: catching.reduce((n, c) => n + c.received, 0) };
    const own = this.replica.authorSeqs().get(this.identity.publicKey) ?? 0;
    return {
      nodeId: this.identity.publicKey,
      workspaceId: this.replica.workspace,
      online: [...this.links].some((l) => l.authed),
      heads: [...this.replica.heads()].sort(),
      peers,
      rendezvous: [...this.clients].map((c) => c.status()),
      unsent: Math.max(0, own - this.deliveredSeq),
      catchUp,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    for (const c of this.clients) c.stop();
    this.clients.clear();
    for (const l of [...this.links]) l.close(SyncCloseCode.goingAway, "node shutting down");
    await this.server.close();
  }

  // ── PeerHost ─────────────────────────────────────────────────────────

  admit(nodeKey: string, inviteKey: string | null): Refusal | null {
    if (this.trusted.size > 0 && !this.trusted.has(nodeKey)) return { code: SyncCloseCode.untrusted, reason: "node key is not trusted" };
    return this.admission?.admit(nodeKey, inviteKey) ?? null;
  }

  inviteSigner(): Signer | null {
    return this.admission?.inviteSigner() ?? null;
  }

  /** Closes links whose peers are no longer admitted (call after membership changed). */
  recheckPeers(): void {
    for (const link of [...this.links]) link.recheck();
  }

  syncMessage(): SyncMessageOf<"sync"> {
    // Heads beyond the cap are only a hint for `need`; the vector alone is complete for honest authors.
    const forks: [string, string[]][] = [];
    for (const author of this.replica.equivocators().slice(0, MAX_FORK_AUTHORS)) {
      const tips = this.replica.authorTips(author, MAX_FORK_TIPS);
      if (tips) forks.push([author, tips]);
    }
    const message: SyncMessageOf<"sync"> = { t: "sync", vec: [...this.replica.authorSeqs()], heads: [...this.replica.heads()].sort().slice(0, MAX_HEADS) };
    return forks.length > 0 ? { ...message, forks } : message;
  }

  receive(origin: object, changes: Uint8Array[]): ReceiveResult[] | Promise<ReceiveResult[]> {
    // Signature checks first (in worker threads when there are many: the promise); then one transaction.
    const prepared = this.replica.prepareBatch(changes);
    if (!(prepared instanceof Promise) && changes.length < SPLIT_TURN_AT) return this.applyFrom(origin, prepared);
    // A catch-up chunk: decoding and checking it, then its transaction, are two event-loop turns
    // (about a third and two thirds of the link's apply budget), so neither holds the loop for the sum.
    const ready = prepared instanceof Promise ? prepared : nextTurn(prepared);
    return ready.then((p) => {
      if (this.closed) throw new Error("sync service closed before applying");
      return this.applyFrom(origin, p);
    });
  }

  private applyFrom(origin: object, prepared: PreparedBatch): ReceiveResult[] {
    // `relay` runs inside the transaction's listeners (onApplied is synchronous), so the ids
    // this peer sent must be known before the call: decoding hashed them (one that did not
    // decode cannot be applied, so it needs no id).
    const ids = new Set<string>();
    for (const d of prepared.decoded) if (d.ok) ids.add(d.value.id);
    this.inbound = { link: origin, ids };
    try {
      // Quiet: the link counts rejections and logs the first few (rate-limited per link, PROTOCOL.md).
      // Not fsynced: a received batch lost to a power cut is sent again by a peer (ARCHITECTURE.md "Durability").
      return this.replica.applyPrepared(prepared, { quiet: true, durable: false });
    } finally {
      this.inbound = null;
    }
  }

  noteDelivered(seq: number): void {
    if (seq <= this.deliveredSeq) return;
    this.deliveredSeq = seq;
    this.scheduleStatus();
  }

  linkChanged(): void {
    this.scheduleStatus();
  }

  // ── links ────────────────────────────────────────────────────────────

  /**
   * Runs the protocol over a connected socket: the `/sync` endpoint and the
   * rendezvous clients call it with `ws` sockets, tests with in-memory ones.
   */
  attach(socket: PeerSocket, direction: "in" | "out", url?: string, hooks?: { onAuthed: () => void; onClosed: (info: LinkClosed) => void }): PeerLink {
    const link: PeerLink = new PeerLink({
      socket,
      direction,
      host: this,
      ...(url !== undefined ? { url } : {}),
      ...(this.scheduler ? { scheduler: this.scheduler } : {}),
      ...(hooks ? { onAuthed: hooks.onAuthed } : {}),
      onClosed: (info) => {
        this.links.delete(link);
        this.scheduleStatus();
        hooks?.onClosed(info);
      },
    });
    if (this.closed) link.close(SyncCloseCode.goingAway, "node shutting down");
    else this.links.add(link);
    this.scheduleStatus();
    return link;
  }

  // ── internals ────────────────────────────────────────────────────────

  /** Incoming sockets still in their handshake (each may hold a pre-auth frame and a timer). */
  private unauthenticated(): number {
    let n = 0;
    for (const l of this.links) if (l.direction === "in" && l.state === "handshake") n++;
    return n;
  }

  private refuseUpgrade(socket: Duplex, status: number, text: string, why: string, fields: Record<string, unknown>): void {
    // The first few at WARN, then DEBUG: a refused flood must not become a log flood; the status line tells the client.
    this.refusedUpgrades++;
    this.log[this.refusedUpgrades <= 5 ? "warn" : "debug"]("sync: upgrade refused", { status, why, refused: this.refusedUpgrades, ...fields });
    socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: ${why.length + 1}\r\n\r\n${why}\n`);
  }

  private relay(e: AppliedEvent): void {
    const origin = this.inbound;
    const ownSeq = e.local ? this.replica.authorSeqs().get(this.identity.publicKey) : undefined;
    for (const link of this.links) {
      if (!link.live) continue;
      if (origin?.link === link) {
        link.sendLive(this.notFrom(origin, e));
      } else {
        link.sendLive(e.changes, ownSeq);
      }
    }
    if (e.local) this.scheduleStatus();
  }

  /** Changes of `e` that the origin peer did not itself send (released dependents of other peers' changes). */
  private notFrom(origin: { link: object; ids: Set<string> }, e: AppliedEvent): Uint8Array[] {
    return e.changes.filter((_, i) => !origin.ids.has(e.changeIds[i]!));
  }

  private scheduleStatus(): void {
    if (this.statusScheduled || this.closed) return;
    this.statusScheduled = true;
    setImmediate(() => {
      this.statusScheduled = false;
      if (this.events.size > 0 && !this.closed) this.events.emit(this.status());
    });
  }
}
