/**
 * One story's CRDT state: a plain JSON object holding every per-field clock
 * needed to merge any later change, so a store can persist it as a row and
 * reopen without replaying history.
 *
 * Merge rules (all commutative, so any causal delivery order converges):
 * - name, description, agent, blocked, placement `{ stage, rank }`:
 *   multi-value registers (`MvRegister`): the greatest stamp wins, and the
 *   concurrent writes that lost are kept until a later write has them all in
 *   its causal past (then the story is no longer `conflicted`). Placement is
 *   ONE register, so concurrent moves never duplicate a story. `desc` is
 *   absent until first written (""), so older records stay as they were.
 * - retries: PN-counter, per-author `[increments, decrements]`; every change
 *   is applied once (dedup by id), so concurrent increments all count.
 * - dependsOn: add-wins (OR-)set; each add gets a unique tag
 *   `<change id>.<op index>`, a remove deletes only the tags it observed (in
 *   its causal past), so a concurrent add survives.
 * - claim: every claim/release event is kept, sorted by stamp, and folded
 *   (`claimState`); the fold is a pure function of the event set.
 * - hidden: max hide clock vs max unhide clock; hidden unless unhide > hide
 *   (HLC only, equal → hidden).
 * - deleted: `deleted` keeps the earliest delete stamp (as before),
 *   `lastDelete` the latest, `undeleted` the latest restore; a story is
 *   deleted unless its latest restore is later than its latest delete
 *   (`isDeleted`) — so undo can bring a story back everywhere.
 * - log: the stamps of the changes that touched the story, the greatest
 *   LOG_LIMIT first — a top-k of a set, so the same on every replica.
 * Every array is kept sorted so the record itself is canonical.
 */
import type { StageId } from "../../src-shared/stages";
import { compareHlc, compareStamp, type Hlc, type Stamp } from "./Hlc";
import type { Lww } from "./MvRegister";

export type { Lww } from "./MvRegister";

/** A claim not renewed for this long (judged by change clocks) may be taken over. */
export const CLAIM_TTL_MS = 600_000;

/** How many of a story's latest changes its record lists (`story/history`). */
export const LOG_LIMIT = 64;

export interface Placement {
  stage: StageId;
  rank: string;
}

/** `by === null` is a release. */
export interface ClaimEvent {
  stamp: Stamp;
  by: string | null;
}

export interface StoryRecord {
  id: string;
  /** Ids of the changes that created this story (concurrent creates merge). */
  creators: string[];
  name: Lww<string>;
  agent: Lww<string | null>;
  blocked: Lww<boolean>;
  place: Lww<Placement>;
  retries: Record<string, [number, number]>;
  /** dependsOn element → its live add tags (sorted). */
  deps: Record<string, string[]>;
  claims: ClaimEvent[];
  hide: Hlc | null;
  unhide: Hlc | null;
  deleted: Stamp | null;
  /** Optional fields below: absent in records written by older builds. */
  desc?: Lww<string>;
  lastDelete?: Stamp;
  undeleted?: Stamp;
  /** Changes that touched this story, greatest stamp first, at most LOG_LIMIT. */
  log?: Stamp[];
}

export function isDeleted(rec: Pick<StoryRecord, "deleted" | "lastDelete" | "undeleted">): boolean {
  const last = rec.lastDelete ?? rec.deleted;
  if (last === null) return false;
  return !(rec.undeleted !== undefined && compareStamp(rec.undeleted, last) > 0);
}

/**
 * Records that change `stamp` touched the story (idempotent; keeps the greatest LOG_LIMIT).
 * Never mutates the log it finds: it sets a new one, built in one allocation (a stored
 * record's log is shared with the working copy that `applyChange` makes, and an
 * in-place splice of a full log regrew its backing store on every touch).
 */
export function logTouch(rec: StoryRecord, stamp: Stamp): void {
  const log = rec.log ?? [];
  if (log.some((s) => s.id === stamp.id)) return;
  let i = 0;
  while (i < log.length && compareStamp(log[i]!, stamp) > 0) i++;
  if (i >= LOG_LIMIT) return;
  const length = Math.min(log.length + 1, LOG_LIMIT);
  const next = new Array<Stamp>(length);
  for (let k = 0; k < i; k++) next[k] = log[k]!;
  next[i] = stamp;
  for (let k = i + 1; k < length; k++) next[k] = log[k - 1]!;
  rec.log = next;
}

export function newStoryRecord(id: string, creator: string, stamp: Stamp, init: { name: string; agent: string | null } & Placement): StoryRecord {
  return {
    id,
    creators: [creator],
    name: { value: init.name, stamp },
    agent: { value: init.agent, stamp },
    blocked: { value: false, stamp },
    place: { value: { stage: init.stage, rank: init.rank }, stamp },
    retries: {},
    deps: {},
    claims: [],
    hide: null,
    unhide: null,
    deleted: null,
  };
}

export function insertSorted(list: string[], item: string): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > item) i--;
  if (list[i - 1] !== item) list.splice(i, 0, item);
}

export function addClaimEvent(rec: StoryRecord, event: ClaimEvent): void {
  let i = rec.claims.length;
  while (i > 0 && compareStamp(rec.claims[i - 1]!.stamp, event.stamp) > 0) i--;
  rec.claims.splice(i, 0, event);
}

/**
 * The claim holder: fold events in stamp order. A claim takes effect when
 * the story is free, already held by the same claimant (a renewal), or the
 * holder's last claim is at least CLAIM_TTL_MS older by change clocks.
 * So of two concurrent claims the earlier stamp wins, on every replica.
 */
export function claimState(rec: StoryRecord): { claimedBy: string | null; claimedAt: number | null } {
  let claimedBy: string | null = null;
  let claimedAt: number | null = null;
  for (const e of rec.claims) {
    if (e.by === null) {
      claimedBy = null;
      claimedAt = null;
    } else if (claimedBy === null || claimedBy === e.by || e.stamp.wall - (claimedAt ?? 0) >= CLAIM_TTL_MS) {
      claimedBy = e.by;
      claimedAt = e.stamp.wall;
    }
  }
  return { claimedBy, claimedAt };
}

/** Hide wins unless the unhide is strictly later: the rule for stories and memcells alike. */
export function isHidden(rec: Pick<StoryRecord, "hide" | "unhide">): boolean {
  if (rec.hide === null) return false;
  return !(rec.unhide !== null && compareHlc(rec.unhide, rec.hide) > 0);
}

export function retryCount(rec: StoryRecord): number {
  let n = 0;
  for (const [p, m] of Object.values(rec.retries)) n += p - m;
  return n;
}
