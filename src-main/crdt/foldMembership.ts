/**
 * The member roster a set of membership changes means: a pure, deterministic
 * fold, so every replica holding the same set computes the same roster.
 *
 * Order: records are folded by (effective clock, id) — a topological order
 * (a change's effective clock is above its deps'), so a change is folded
 * after everything in its causal past. Each op takes effect only if its
 * author has the authority AT THAT POINT OF THE FOLD (admin for admin ops);
 * otherwise it is void (kept in the log, no effect). That one rule decides
 * the concurrent cases (docs/PROTOCOL.md §Membership, hard cases):
 * - two admins removing each other: the earlier removal (clock, id) takes
 *   effect; the later one's author is no longer an admin when it is folded,
 *   so it is void — exactly one of them stays;
 * - one invite redeemed twice (partition): the earlier join redeems it; the
 *   later join is void, so its device is not a member;
 * - add and remove of one key: the later one in the order wins; a re-add
 *   after a removal (it has the removal in its past) is therefore always later.
 *
 * Legacy workspaces (ids from before membership, see `isGenesisWorkspace`):
 * `baseMember(key)` says which keys are members without a `member` op
 * (authors that wrote before membership existed) and `baseAdmin` who the
 * first admin is; op effects override both.
 */
import type { MemberRole } from "../../src-shared/memberMethods";
import { compareHlc, type Hlc } from "./Hlc";
import type { MembershipOp } from "./membershipOps";

export interface MembershipRecord {
  id: string;
  author: string;
  /** The change's effective clock. */
  clock: Hlc;
  ops: MembershipOp[];
}

export interface MemberState {
  name: string;
  role: MemberRole;
  addedBy: string | null;
  addedAt: number;
  removed: boolean;
}

export interface InviteState {
  name: string;
  role: MemberRole;
  by: string;
  expires: number | null;
  /** The device whose join redeemed it (the first join in the fold order), or null. */
  redeemedBy: string | null;
}

export interface LegacyBase {
  baseMember(key: string): boolean;
  baseAdmin: string | null;
}

export interface Roster {
  readonly members: ReadonlyMap<string, MemberState>;
  readonly invites: ReadonlyMap<string, InviteState>;
  isMember(key: string): boolean;
  isAdmin(key: string): boolean;
}

export function compareRecords(a: MembershipRecord, b: MembershipRecord): number {
  return compareHlc(a.clock, b.clock) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Folds `records` (any order; sorted here) over an optional legacy base. */
export function foldMembership(records: readonly MembershipRecord[], legacy: LegacyBase | null): Roster {
  const members = new Map<string, MemberState>();
  const invites = new Map<string, InviteState>();
  const isMember = (key: string): boolean => {
    const m = members.get(key);
    return m ? !m.removed : legacy !== null && legacy.baseMember(key);
  };
  const isAdmin = (key: string): boolean => {
    const m = members.get(key);
    return m ? !m.removed && m.role === "admin" : legacy !== null && legacy.baseAdmin === key;
  };
  const baseEntry = (key: string): MemberState => ({
    name: "",
    role: legacy?.baseAdmin === key ? "admin" : "member",
    addedBy: null,
    addedAt: 0,
    removed: false,
  });
  for (const rec of [...records].sort(compareRecords)) {
    for (const op of rec.ops) {
      switch (op.t) {
        case "genesis":
          if (members.size === 0) members.set(rec.author, { name: op.name, role: "admin", addedBy: null, addedAt: rec.clock.wall, removed: false });
          break;
        case "member":
          if (isAdmin(rec.author)) members.set(op.key, { name: op.name, role: op.role, addedBy: rec.author, addedAt: rec.clock.wall, removed: false });
          break;
        case "role":
          if (isAdmin(rec.author) && isMember(op.key)) members.set(op.key, { ...(members.get(op.key) ?? baseEntry(op.key)), role: op.role });
          break;
        case "remove":
          if (isAdmin(rec.author) && isMember(op.key)) members.set(op.key, { ...(members.get(op.key) ?? baseEntry(op.key)), removed: true });
          break;
        case "invite":
          if (isAdmin(rec.author) && !invites.has(op.key)) {
            invites.set(op.key, { name: op.name, role: op.role, by: rec.author, expires: op.expires, redeemedBy: null });
          }
          break;
        case "join": {
          const inv = invites.get(op.invite);
          if (!inv || inv.redeemedBy !== null || (inv.expires !== null && rec.clock.wall > inv.expires) || isMember(rec.author)) break;
          inv.redeemedBy = rec.author;
          members.set(rec.author, { name: inv.name, role: inv.role, addedBy: inv.by, addedAt: rec.clock.wall, removed: false });
          break;
        }
      }
    }
  }
  return { members, invites, isMember, isAdmin };
}
