/**
 * A sync peer for attack tests, written from docs/PROTOCOL.md alone: `ws`
 * for the socket, `node:crypto` for Ed25519 and SHA-256, its own change
 * format 2 and envelope-3 framing (peerChangeCodec) and canonical JSON for
 * legacy format 1 (peerCanonicalJson). It imports nothing from `src-main`,
 * so where it and the node disagree, one of them breaks the documented
 * protocol.
 *
 * API (all a test needs to attack a running `musher serve`):
 *
 *   const peer = await ProtocolPeer.connect(`ws://127.0.0.1:${port}/sync`);
 *     // hello → auth + sync{vec: [], heads: []} → welcome (verified);
 *     // options: { key?: PeerKey, handshake?: false, headers?, vec?, heads? }
 *   await peer.caughtUp();              // the server's first `ready`: peer.received holds its catch-up
 *   peer.serverHeads();                 // heads from the server's `sync` (sorted): deps for a valid change
 *   const c = peer.makeChange({ seq: 1, deps: [], ops: [createOp("s1", "name")] });
 *     // → { id, bytes, body }: body is { v: 2, workspace, author, seq, deps, clock, ops },
 *     //   clock defaults to { wall: Date.now(), logical: 0 }, deps are sent as given
 *     //   (sort them yourself, or don't: invalid changes are allowed), signed with
 *     //   the peer's key (`signer` for another key, `badSignature: true` to forge);
 *     //   change format 2 (`format: 1` or `v: 1` for the legacy JSON format).
 *   peer.sendChanges([c, ...]);         // one envelope-3 changes frame (author table, uvarint lengths)
 *
 * Membership (PROTOCOL.md §Invites): a workspace serves only members, so an
 * attacker is "a member gone bad": connect with `{ invite: line }` (the line
 * from `member/invite`): the auth carries the invite proof; then
 *   const join = await peer.join();     // after caughtUp: writes and sends the join change
 * and build later changes on top of it (`seq: 2`, deps including `join.id`).
 *   peer.sendControl({ t: "need", ids: [...] });
 *   peer.sendRaw(bytes | "text");       // anything, as one frame
 *   const { code, reason } = await peer.closed;
 *   peer.close();
 *
 * Nothing here checks what it sends: invalid changes, equivocations (two
 * changes with one seq), extreme clocks and malformed frames are the point.
 */
import { createHash, randomBytes } from "node:crypto";
import { WebSocket } from "ws";
import { peerCanonicalJson } from "./peerCanonicalJson";
import { changesFrame, changesOfFrame, decodeBodyV2, encodeBodyV2, idV2 } from "./peerChangeCodec";
import { newPeerKey, peerKeyFromSeed, peerVerify, type PeerKey } from "./peerKey";

const ENVELOPE = 0x03;
const CONTROL = 0x01;
const CHANGES = 0x02;
const LABEL = "musher-sync/3 handshake";
const JOIN_LABEL = "musher-join/1";
const INVITE_PREFIX = "musher-invite-1.";

export type Control = { t: string } & Record<string, unknown>;

export interface Clock {
  wall: number;
  logical: number;
}

export interface ChangeDraft {
  seq: number;
  deps?: string[];
  clock?: Clock;
  ops: unknown[];
  /** Defaults: the server's workspace, this peer's key, format 2. */
  workspace?: string;
  author?: string;
  v?: number;
  /** Signs with this key instead of the peer's (author defaults to its key). */
  signer?: PeerKey;
  /** Flips a bit of the signature. */
  badSignature?: boolean;
  /** Change format: 2 (binary, default) or 1 (legacy canonical JSON; the default for `v: 1`). */
  format?: 1 | 2;
}

export interface WireChange {
  /** Format 2: SHA-256(0x02 ‖ uvarint len ‖ workspace ‖ body); format 1: SHA-256(body); lowercase hex. */
  id: string;
  /** `format ‖ signature(64) ‖ body`: what travels. */
  bytes: Buffer;
  body: Record<string, unknown>;
}

export interface ConnectOptions {
  key?: PeerKey;
  /** false: stop after the upgrade (`peer.hello` still arrives); default true. */
  handshake?: boolean;
  /** Extra upgrade request headers (e.g. `origin`). */
  headers?: Record<string, string>;
  /** Our `sync` message (default: we have nothing). */
  vec?: [string, number][];
  heads?: string[];
  /** Our tips of authors we know equivocated (`sync.forks`, PROTOCOL.md §Reconciliation). */
  forks?: [string, string[]][];
  /** An invite line: the auth proves its one-time key (role "invite"); `join()` redeems it. */
  invite?: string;
  /** true: a server that closes instead of answering `welcome` resolves (read `peer.closed`) instead of rejecting. */
  refusalExpected?: boolean;
  timeoutMs?: number;
}

/** The invite line's payload: `musher-invite-1.` ‖ base64url(JSON { w, s, a }). */
export function parseInviteLine(line: string): { workspace: string; key: PeerKey; addresses: string[] } {
  if (!line.startsWith(INVITE_PREFIX)) throw new Error("not an invite line");
  const payload = JSON.parse(Buffer.from(line.slice(INVITE_PREFIX.length), "base64url").toString("utf8")) as { w: string; s: string; a: string[] };
  return { workspace: payload.w, key: peerKeyFromSeed(payload.s), addresses: payload.a };
}

/** A `create` op for a story in Backlog (PROTOCOL.md §Changes, ops). */
export function createOp(story: string, name: string, rank = "a0"): Record<string, unknown> {
  return { t: "create", story, name, stage: "1_backlog", rank, agent: null };
}

export function challenge(role: "client" | "server" | "invite", workspace: string, serverKey: string, clientKey: string, serverNonce: string, clientNonce: string): Buffer {
  return Buffer.from(JSON.stringify([LABEL, role, workspace, serverKey, clientKey, serverNonce, clientNonce]), "utf8");
}

export class ProtocolPeer {
  readonly key: PeerKey;
  readonly ws: WebSocket;
  /** Every control message received, in order. */
  readonly controls: Control[] = [];
  /** Every change received (catch-up and live), in order. */
  readonly received: WireChange[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  workspace = "";
  serverKey = "";
  /** The invite's one-time key when connected with one. */
  inviteKey: PeerKey | null = null;
  private readonly waiters = new Set<() => void>();

  private constructor(ws: WebSocket, key: PeerKey) {
    this.ws = ws;
    this.key = key;
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") })));
    ws.on("message", (data, isBinary) => this.onMessage(Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer), isBinary));
    ws.on("close", () => this.wake());
    ws.on("error", () => this.wake());
  }

  static async connect(url: string, options: ConnectOptions = {}): Promise<ProtocolPeer> {
    const ws = new WebSocket(url, { headers: options.headers ?? {}, maxPayload: 64 * 1024 * 1024 });
    const peer = new ProtocolPeer(ws, options.key ?? newPeerKey());
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
      ws.once("error", reject);
    });
    if (options.handshake === false) return peer;
    const timeoutMs = options.timeoutMs ?? 5_000;
    const hello = await peer.waitControl("hello", timeoutMs);
    peer.workspace = String(hello["workspace"]);
    peer.serverKey = String(hello["node"]);
    const nonce = randomBytes(32).toString("hex");
    const serverNonce = String(hello["nonce"]);
    const sig = peer.key.sign(challenge("client", peer.workspace, peer.serverKey, peer.key.publicKey, serverNonce, nonce));
    let invite: Record<string, unknown> = {};
    if (options.invite !== undefined) {
      peer.inviteKey = parseInviteLine(options.invite).key;
      const inviteSig = peer.inviteKey.sign(challenge("invite", peer.workspace, peer.serverKey, peer.key.publicKey, serverNonce, nonce));
      invite = { invite: { key: peer.inviteKey.publicKey, sig: inviteSig.toString("hex") } };
    }
    peer.sendControl({ t: "auth", workspace: peer.workspace, node: peer.key.publicKey, nonce, sig: sig.toString("hex"), ...invite });
    peer.sendControl({ t: "sync", vec: options.vec ?? [], heads: options.heads ?? [], ...(options.forks ? { forks: options.forks } : {}) });
    if (options.refusalExpected) {
      const outcome = await Promise.race([peer.waitControl("welcome", timeoutMs).then(() => "welcome" as const), peer.closed.then(() => "closed" as const)]);
      if (outcome === "closed") return peer;
    }
    const welcome = await peer.waitControl("welcome", timeoutMs);
    const proof = challenge("server", peer.workspace, peer.serverKey, peer.key.publicKey, serverNonce, nonce);
    if (!peerVerify(peer.serverKey, proof, Buffer.from(String(welcome["sig"]), "hex"))) throw new Error("server proof does not verify");
    return peer;
  }

  /** Builds and signs a change; nothing is checked (see ChangeDraft for the defaults). */
  makeChange(draft: ChangeDraft): WireChange {
    const signer = draft.signer ?? this.key;
    const body: Record<string, unknown> = {
      v: draft.v ?? 2,
      workspace: draft.workspace ?? this.workspace,
      author: draft.author ?? signer.publicKey,
      seq: draft.seq,
      deps: draft.deps ?? [],
      clock: draft.clock ?? { wall: Date.now(), logical: 0 },
      ops: draft.ops,
    };
    return signBody(body, signer, draft.badSignature ?? false, draft.format ?? (draft.v === 1 ? 1 : 2));
  }

  /**
   * Redeems the invite (after `caughtUp`): a change with the one `join` op,
   * seq 1 on the server's heads, proof = the invite key's signature over
   * JSON ["musher-join/1", workspace, our key]. Sent, and returned so later
   * changes can build on it.
   */
  join(seq = 1): WireChange {
    if (!this.inviteKey) throw new Error("connect with { invite } to join");
    const change = this.makeChange({ seq, deps: this.serverHeads(), ops: [joinOp(this.inviteKey, this.workspace, this.key.publicKey)] });
    this.sendChanges([change]);
    return change;
  }

  sendChanges(changes: readonly (WireChange | Uint8Array)[]): void {
    this.ws.send(changesFrame(changes.map((c) => (c instanceof Uint8Array ? Buffer.from(c) : c.bytes))));
  }

  sendControl(message: Control): void {
    this.ws.send(Buffer.concat([Buffer.from([ENVELOPE, CONTROL]), Buffer.from(JSON.stringify(message), "utf8")]));
  }

  sendRaw(data: Uint8Array | string): void {
    this.ws.send(data, { binary: typeof data !== "string" });
  }

  /** Resolves at the server's first `ready` (its catch-up is in `received`). */
  async caughtUp(timeoutMs = 10_000): Promise<void> {
    await this.waitControl("ready", timeoutMs);
  }

  /** The heads the server announced in its `sync` (sorted; [] before it arrived). */
  serverHeads(): string[] {
    const sync = this.controls.find((c) => c.t === "sync");
    return Array.isArray(sync?.["heads"]) ? (sync["heads"] as string[]).slice().sort() : [];
  }

  async waitControl(t: string, timeoutMs = 5_000): Promise<Control> {
    await this.until(() => this.controls.some((c) => c.t === t), `control ${t}`, timeoutMs);
    return this.controls.find((c) => c.t === t)!;
  }

  /** Waits until `pred` holds (checked on every frame); rejects on timeout or close. */
  async until(pred: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    if (pred()) return;
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (pred()) finish(null);
        else if (this.ws.readyState === WebSocket.CLOSED) finish(new Error(`closed while waiting for ${what}`));
      };
      const timer = setTimeout(() => finish(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const finish = (err: Error | null): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve();
      };
      this.waiters.add(check);
    });
  }

  close(): void {
    this.ws.close(1000);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary && data.length >= 2 && data[0] === ENVELOPE) {
      if (data[1] === CONTROL) this.controls.push(JSON.parse(data.subarray(2).toString("utf8")) as Control);
      if (data[1] === CHANGES) {
        for (const bytes of changesOfFrame(data.subarray(2))) {
          const body = bytes.subarray(65);
          this.received.push(
            bytes[0] === 2
              ? { id: idV2(this.workspace, body).toString("hex"), bytes, body: decodeBodyV2(body, this.workspace) }
              : { id: createHash("sha256").update(body).digest("hex"), bytes, body: JSON.parse(body.toString("utf8")) as Record<string, unknown> },
          );
        }
      }
    }
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** The `join` op by which `author` redeems the invite whose one-time key is `invite` (PROTOCOL.md §Membership). */
export function joinOp(invite: PeerKey, workspace: string, author: string): Record<string, unknown> {
  const proof = invite.sign(Buffer.from(JSON.stringify([JOIN_LABEL, workspace, author]), "utf8")).toString("hex");
  return { t: "join", invite: invite.publicKey, proof };
}

/**
 * `format ‖ Ed25519(id raw bytes) ‖ encoded`: format 2 encodes the body in
 * binary (its `v` and `workspace` are not sent; the workspace goes into the
 * id), format 1 as canonical JSON with id = SHA-256 of it (PROTOCOL.md
 * §Changes, §Change format 2).
 */
export function signBody(body: Record<string, unknown>, signer: PeerKey, badSignature = false, format: 1 | 2 = 2): WireChange {
  const encoded = format === 2 ? encodeBodyV2(body) : Buffer.from(peerCanonicalJson(body), "utf8");
  const digest = format === 2 ? idV2(String(body["workspace"]), encoded) : createHash("sha256").update(encoded).digest();
  const sig = signer.sign(digest);
  if (badSignature) sig[0] = sig[0]! ^ 1;
  return { id: digest.toString("hex"), bytes: Buffer.concat([Buffer.from([format]), sig, encoded]), body };
}
