/**
 * Workspace membership, folded from the same signed changes as the board
 * (a `ChangeReducer`). Design invariant 9: a change counts only if its
 * author is a member in the change's causal past.
 *
 * Validity (`validate`, decided only from the change and its causal past):
 * - a `genesis` change is seq 1, has no deps, carries that op alone, and the
 *   workspace id is `workspaceIdOf(author, nonce)`; only in a genesis workspace;
 * - a `join` change carries that op alone; the invite is in the past's roster,
 *   unredeemed there, not expired at the change's effective clock, the proof
 *   verifies under the invite key, and the author is not a member already;
 * - any other change: its author is a member of the past's roster; admin
 *   ops (`member`, `role`, `remove`, `invite`) need an admin; `role` and
 *   `remove` name a member, `invite` a key not invited before;
 * - legacy workspace (no genesis): a change with no membership change in its
 *   past is valid as before membership existed (see `foldMembership`).
 *
 * The past's roster is `foldMembership` over the membership changes in the
 * past. Which ones those are is remembered per applied change (its set =
 * its deps' sets ∪ itself), so a change costs O(deps) when its deps agree,
 * O(M) causal questions otherwise (M = membership changes); the fold is
 * memoized per distinct set. State: the membership records and the
 * legacy root list as JSON in the node's key/value table (written in the
 * change's transaction); the current roster is cached until the next
 * membership change.
 */
import type { Member } from "../../src-shared/memberMethods";
import type { Change } from "./Change";
import type { ChangeReducer } from "./ChangeReducer";
import { Ed25519Verifier } from "./Ed25519Verifier";
import { foldMembership, type LegacyBase, type MembershipRecord, type Roster } from "./foldMembership";
import { compareHlc, type Hlc } from "./Hlc";
import { isGenesisWorkspace, isMembershipOp, joinProofMessage, workspaceIdOf, type MembershipOp } from "./membershipOps";
import type { ReplicaStore } from "./ReplicaStore";
import type { KeyValueTable } from "./StageLimits";

/** The rejection of a change whose author is not a member (a local one becomes a `forbidden` error). */
export const NOT_A_MEMBER = "author is not a member in the change's causal past";

/** `membership:count` membership changes, stored one per key `membership:record:<n>` in application order (one write per change, not the whole list). */
const COUNT_KEY = "membership:count";
const recordKey = (n: number): string => `membership:record:${String(n).padStart(9, "0")}`;
const ROOTS_KEY = "membership:roots";
/** Legacy workspaces: authors whose first change had no membership change in its past (members without an op). */
const BASE_KEY = "membership:base";
const MEMO_LIMIT = 256;
/** Changes whose membership set is remembered (an evicted one is recomputed by the O(M) scan, never wrong). */
const SET_LIMIT = 200_000;
const ADMIN_OPS: ReadonlySet<string> = new Set(["member", "role", "remove", "invite"]);

interface Root {
  id: string;
  author: string;
  clock: Hlc;
}

export class Membership implements ChangeReducer {
  private readonly verifier = new Ed25519Verifier();
  private readonly memo = new Map<string, Roster>();
  /** Per applied change: the ids (sorted, comma-joined) of the membership changes in its past and itself. */
  private readonly setOf = new Map<string, string>();
  /** The set of the change validated last (apply follows validate for the same change). */
  private validated: { id: string; key: string } | null = null;
  private readonly records: MembershipRecord[];
  private readonly byId = new Map<string, MembershipRecord>();
  private readonly baseAuthors: Set<string>;
  private roots: Root[];
  private cached: Roster | null = null;
  private changed = false;

  constructor(
    private readonly table: KeyValueTable,
    private readonly store: ReplicaStore,
    private readonly workspaceOf: () => string,
  ) {
    const count = Number(table.get(COUNT_KEY) ?? "0");
    this.records = [];
    for (let n = 0; n < count; n++) {
      const rec = parseJson<MembershipRecord>(table.get(recordKey(n)));
      if (rec) this.records.push(rec);
    }
    for (const r of this.records) this.byId.set(r.id, r);
    const roots = parseJson<Root[]>(table.get(ROOTS_KEY));
    // A data dir from before membership: its roots are found once, O(authors) (seq-1 changes without deps).
    this.roots = roots ?? (this.legacy ? this.findRoots() : []);
    if (roots === undefined && this.legacy) this.table.put(ROOTS_KEY, JSON.stringify(this.roots));
    const base = parseJson<string[]>(table.get(BASE_KEY));
    // Migration: every author a data dir from before membership holds wrote before membership existed.
    this.baseAuthors = new Set(base ?? (this.legacy ? [...this.store.authorSeqs().keys()] : []));
    if (base === undefined && this.legacy) this.putBase();
  }

  get workspace(): string {
    return this.workspaceOf();
  }

  get legacy(): boolean {
    return !isGenesisWorkspace(this.workspace);
  }

  /** The workspace changed (a fresh node joining): nothing cached may survive. */
  forget(): void {
    this.cached = null;
    this.memo.clear();
  }

  /** Whether membership changed since the last call (the node then announces `member/changed`). */
  drainChanged(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }

  /** The roster over everything applied here (admission, the member list). */
  current(): Roster {
    if (this.cached) return this.cached;
    const base: LegacyBase | null = this.legacy
      ? { baseMember: (k) => this.baseAuthors.has(k), baseAdmin: earliest(this.roots)?.author ?? null }
      : null;
    this.cached = foldMembership(this.records, base);
    return this.cached;
  }

  isMember(key: string): boolean {
    return this.current().isMember(key);
  }

  isAdmin(key: string): boolean {
    return this.current().isAdmin(key);
  }

  /** Why an invite key cannot be redeemed now (null: it can). `now` is network policy only, never validity. */
  inviteProblem(key: string, now: number): string | null {
    const inv = this.current().invites.get(key);
    if (!inv) return "unknown invite (not in this node's copy of the workspace)";
    if (inv.redeemedBy !== null) return "this invite was already used; ask an admin for a new one";
    if (inv.expires !== null && now > inv.expires) return "this invite expired; ask an admin for a new one";
    return null;
  }

  /** Every device the roster names, plus (legacy) authors from before membership. */
  list(): Member[] {
    const roster = this.current();
    const out = new Map<string, Member>();
    if (this.legacy) {
      for (const author of this.baseAuthors) {
        const first = this.store.changesBySeq(author, 1)[0];
        const at = first ? (this.store.getChangeMeta(first)?.clock.wall ?? 0) : 0;
        out.set(author, { nodeId: author, name: "", role: roster.isAdmin(author) ? "admin" : "member", addedBy: null, addedAt: at, removed: false });
      }
    }
    for (const [key, m] of roster.members) {
      const legacyAt = out.get(key)?.addedAt;
      out.set(key, { nodeId: key, name: m.name, role: m.role, addedBy: m.addedBy, addedAt: m.addedBy === null && legacyAt !== undefined ? legacyAt : m.addedAt, removed: m.removed });
    }
    return [...out.values()].sort((a, b) => a.addedAt - b.addedAt || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }

  validate(id: string, change: Change, past: (changeId: string) => boolean, clock?: Hlc): string | null {
    const ops = change.ops.filter(isMembershipOp);
    const first = ops[0];
    if (first?.t === "genesis") return this.validateGenesis(change, first);
    if (ops.some((op) => op.t === "genesis")) return "genesis must be the only op of the first change";
    const key = this.pastKey(change.deps, past);
    this.validated = { id, key };
    if (this.legacy && key === "" && ops.length === 0) return null;
    const roster = this.rosterOf(key, past);
    if (first?.t === "join") return this.validateJoin(change, first, roster, clock);
    if (ops.some((op) => op.t === "join")) return "join must be the only op of its change";
    if (!roster.isMember(change.author)) return NOT_A_MEMBER;
    for (const op of ops) {
      if (ADMIN_OPS.has(op.t) && !roster.isAdmin(change.author)) return `${op.t}: only an admin may change membership`;
      if ((op.t === "role" || op.t === "remove") && !roster.isMember(op.key)) return `${op.t}: ${op.key} is not a member`;
      if (op.t === "invite" && roster.invites.has(op.key)) return "invite: this invite key was used before";
    }
    return null;
  }

  apply(id: string, change: Change, clock: Hlc): void {
    const ops = change.ops.filter(isMembershipOp);
    // A legacy author's first change written with no membership in its past: a member without an op (deterministic: its past decides).
    if (this.legacy && change.seq === 1 && ops.length === 0 && this.validated?.id === id && this.validated.key === "" && !this.baseAuthors.has(change.author)) {
      this.baseAuthors.add(change.author);
      this.putBase();
    }
    if (this.validated?.id === id) {
      const own = ops.length > 0 ? [...(this.validated.key === "" ? [] : this.validated.key.split(",")), id].sort().join(",") : this.validated.key;
      if (this.setOf.size >= SET_LIMIT) this.setOf.delete(this.setOf.keys().next().value!);
      this.setOf.set(id, own);
    }
    this.validated = null;
    if (this.legacy && change.deps.length === 0 && change.seq === 1) {
      this.roots.push({ id, author: change.author, clock });
      this.roots.sort((a, b) => (a.id < b.id ? -1 : 1)); // stored sorted: a replay in another order stores the same
      this.table.put(ROOTS_KEY, JSON.stringify(this.roots));
      this.cached = null;
    }
    if (this.legacy && change.seq === 1) this.cached = null; // a new legacy author
    if (ops.length === 0) return;
    const rec: MembershipRecord = { id, author: change.author, clock, ops };
    this.table.put(recordKey(this.records.length), JSON.stringify(rec));
    this.records.push(rec);
    this.byId.set(id, rec);
    this.table.put(COUNT_KEY, String(this.records.length));
    this.cached = null;
    this.changed = true;
  }

  private validateGenesis(change: Change, op: Extract<MembershipOp, { t: "genesis" }>): string | null {
    if (this.legacy) return "genesis in a workspace from before membership";
    if (change.ops.length !== 1 || change.seq !== 1 || change.deps.length !== 0) return "genesis must be alone in a first change (seq 1, no deps)";
    if (workspaceIdOf(change.author, op.nonce) !== change.workspace) return "genesis does not found this workspace";
    return null;
  }

  private validateJoin(change: Change, op: Extract<MembershipOp, { t: "join" }>, roster: Roster, clock: Hlc | undefined): string | null {
    if (change.ops.length !== 1) return "join must be the only op of its change";
    const inv = roster.invites.get(op.invite);
    if (!inv) return "join: no such invite in the change's causal past";
    if (inv.redeemedBy !== null) return "join: the invite was already used in the change's causal past";
    if (inv.expires !== null && (clock === undefined || clock.wall > inv.expires)) return "join: the invite expired";
    if (roster.isMember(change.author)) return "join: the author is a member already";
    if (!this.verifier.verify(Buffer.from(op.proof, "hex"), joinProofMessage(change.workspace, change.author), op.invite)) return "join: bad invite proof";
    return null;
  }

  /**
   * The membership changes in the past of a change with `deps`: the union of
   * the deps' remembered sets — O(deps) when they agree (the common case) —
   * else (a dep not remembered, e.g. after a restart) a scan asking `past`
   * about each membership change, O(M).
   */
  private pastKey(deps: readonly string[], past: (changeId: string) => boolean): string {
    let key: string | undefined;
    let union: Set<string> | null = null;
    for (const dep of deps) {
      const k = this.setOf.get(dep);
      if (k === undefined) return this.records.filter((r) => past(r.id)).map((r) => r.id).sort().join(",");
      if (key === undefined) key = k;
      else if (k !== key) {
        union ??= new Set(key === "" ? [] : key.split(","));
        if (k !== "") for (const x of k.split(",")) union.add(x);
      }
    }
    return union ? [...union].sort().join(",") : (key ?? "");
  }

  private rosterOf(key: string, past: (changeId: string) => boolean): Roster {
    if (!this.legacy) return this.memoized(key);
    const inPast = this.recordsOf(key);
    const roots = this.roots.filter((r) => past(r.id));
    const base: LegacyBase = {
      baseMember: (k) => this.baseAuthors.has(k) && this.store.changesBySeq(k, 1).some(past),
      baseAdmin: earliest(roots)?.author ?? null,
    };
    // The base depends on the past beyond the records: not memoized (legacy workspaces only).
    return foldMembership(inPast, base);
  }

  private recordsOf(key: string): MembershipRecord[] {
    if (key === "") return [];
    return key.split(",").map((id) => this.byId.get(id)!);
  }

  private memoized(key: string): Roster {
    const known = this.memo.get(key);
    if (known) return known;
    const roster = foldMembership(this.recordsOf(key), null);
    if (this.memo.size >= MEMO_LIMIT) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(key, roster);
    return roster;
  }

  private putBase(): void {
    this.table.put(BASE_KEY, JSON.stringify([...this.baseAuthors].sort()));
  }

  private findRoots(): Root[] {
    const roots: Root[] = [];
    for (const author of this.store.authorSeqs().keys()) {
      for (const id of this.store.changesBySeq(author, 1)) {
        const meta = this.store.getChangeMeta(id);
        if (meta && meta.deps.length === 0) roots.push({ id, author, clock: meta.clock });
      }
    }
    return roots.sort((a, b) => (a.id < b.id ? -1 : 1));
  }
}

function earliest(roots: readonly Root[]): Root | undefined {
  let best: Root | undefined;
  for (const r of roots) if (!best || compareHlc(r.clock, best.clock) < 0 || (compareHlc(r.clock, best.clock) === 0 && r.id < best.id)) best = r;
  return best;
}

function parseJson<T>(raw: string | undefined): T | undefined {
  return raw === undefined ? undefined : (JSON.parse(raw) as T);
}
