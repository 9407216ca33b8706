/**
 * The story row encoder as it was before issue 14's speed work (commit
 * 1ce9dd6, `src-main/store/storyColumn.ts`), kept verbatim as the reference
 * the current encoder must match byte for byte: the row is on disk, so a
 * faster encoder may not write a single byte differently, nor call `idxOf`
 * (which may add an author and hand out its idx) in another order. Used by
 * storyColumnBytes.test.ts only; never change it.
 */
import type { Hlc, Stamp } from "../../src-main/crdt/Hlc";
import type { Lww } from "../../src-main/crdt/MvRegister";
import type { Placement, StoryRecord } from "../../src-main/crdt/StoryRecord";
import { ByteWriter } from "../../src-main/crdt/ByteWriter";

const VERSION = 1;
const HEX_ID = /^[0-9a-f]{64}$/;
const TAG = /^([0-9a-f]{64})\.(0|[1-9][0-9]{0,14})$/;
const LONE_SURROGATE = /\p{Cs}/u;
const KNOWN_KEYS = new Set(["id", "creators", "name", "agent", "blocked", "place", "retries", "deps", "claims", "hide", "unhide", "deleted", "desc", "lastDelete", "undeleted", "log"]);
const HAS_DESC = 1;
const HAS_LAST_DELETE = 2;
const HAS_UNDELETED = 4;
const HAS_LOG = 8;

/** Thrown inside `encode` when the compact form cannot hold a value exactly. */
class NotCompact extends Error {}


/** Wall deltas beyond this are not zigzag-encodable as safe integers. */
const MAX_DELTA = 2 ** 51;

class Encoder {
  readonly w = new ByteWriter(512);
  readonly table: Stamp[] = [];
  private readonly byId = new Map<string, number>();
  constructor(private readonly idxOf: (author: string) => number) {}

  /** The table index of `s`, adding it; a different stamp under a known id cannot be held. */
  register(s: Stamp | null | undefined): number {
    if (typeof s !== "object" || s === null || typeof s.id !== "string") throw new NotCompact();
    const at = this.byId.get(s.id);
    if (at !== undefined) {
      const t = this.table[at]!;
      if (t.wall !== s.wall || t.logical !== s.logical || t.author !== s.author) throw new NotCompact();
      return at;
    }
    this.table.push(s);
    this.byId.set(s.id, this.table.length - 1);
    return this.table.length - 1;
  }
  idRef(id: unknown): void {
    const at = typeof id === "string" ? this.byId.get(id) : undefined;
    if (at !== undefined) return this.w.uvarint(at + 1);
    this.w.u8(0);
    this.id(id);
  }
  /** VERSION ‖ the stamp table ‖ the body written so far. */
  finish(): Buffer {
    const head = new ByteWriter(16 + this.table.length * 42);
    head.u8(VERSION);
    head.uvarint(this.table.length);
    let prev = 0;
    for (const s of this.table) {
      if (typeof s.wall !== "number" || !Number.isSafeInteger(s.wall) || s.wall < 0) throw new NotCompact();
      const d = s.wall - prev;
      if (Math.abs(d) >= MAX_DELTA) throw new NotCompact();
      head.uvarint(d >= 0 ? d * 2 : -d * 2 - 1);
      prev = s.wall;
      if (typeof s.logical !== "number" || !Number.isSafeInteger(s.logical) || s.logical < 0) throw new NotCompact();
      head.uvarint(s.logical);
      if (typeof s.author !== "string") throw new NotCompact();
      head.uvarint(this.idxOf(s.author));
      if (!HEX_ID.test(s.id)) throw new NotCompact();
      head.hex32(s.id);
    }
    return Buffer.concat([head.finish(), this.w.finish()]);
  }

  uint(n: unknown): void {
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new NotCompact();
    this.w.uvarint(n);
  }
  str(s: unknown): void {
    if (typeof s !== "string" || LONE_SURROGATE.test(s)) throw new NotCompact();
    this.w.string(s);
  }
  id(s: unknown): void {
    if (typeof s !== "string" || !HEX_ID.test(s)) throw new NotCompact();
    this.w.hex32(s);
  }
  author(key: unknown): void {
    if (typeof key !== "string") throw new NotCompact();
    this.w.uvarint(this.idxOf(key));
  }
  stamp(s: Stamp | null | undefined): void {
    this.w.uvarint(this.register(s));
  }
  nullableStamp(s: Stamp | null): void {
    if (s === null) return this.w.u8(0);
    this.w.u8(1);
    this.stamp(s);
  }
  hlc(h: Hlc | null): void {
    if (h === null) return this.w.u8(0);
    if (typeof h !== "object" || "author" in h || "id" in h) throw new NotCompact();
    this.w.u8(1);
    this.uint(h.wall);
    this.uint(h.logical);
  }
  lww<T>(reg: Lww<T>, value: (v: T) => void): void {
    if (typeof reg !== "object" || reg === null) throw new NotCompact();
    value(reg.value);
    this.stamp(reg.stamp);
    const others = reg.others;
    if (others === undefined) return this.w.uvarint(0);
    if (!Array.isArray(others)) throw new NotCompact();
    this.w.uvarint(others.length + 1);
    for (const o of others) {
      value(o.value);
      this.stamp(o.stamp);
    }
  }
  nullableStr(s: string | null): void {
    if (s === null) return this.w.u8(0);
    this.w.u8(1);
    this.str(s);
  }
  bool(b: boolean): void {
    if (typeof b !== "boolean") throw new NotCompact();
    this.w.u8(b ? 1 : 0);
  }
  place(p: Placement): void {
    if (typeof p !== "object" || p === null) throw new NotCompact();
    this.str(p.stage);
    this.str(p.rank);
  }
}

function encodeRecord(e: Encoder, r: StoryRecord): void {
  const w = e.w;
  if (Array.isArray(r.log)) for (const s of r.log) e.register(s); // the table in log order: small wall deltas
  w.uvarint(r.creators.length);
  for (const c of r.creators) e.idRef(c);
  const str = (v: string): void => e.str(v);
  const nullableStr = (v: string | null): void => e.nullableStr(v);
  e.lww(r.name, str);
  e.lww(r.agent, nullableStr);
  e.lww(r.blocked, (v: boolean) => e.bool(v));
  e.lww(r.place, (v: Placement) => e.place(v));
  const retries = Object.entries(r.retries);
  w.uvarint(retries.length);
  for (const [author, pn] of retries) {
    if (author === "__proto__" || !Array.isArray(pn) || pn.length !== 2) throw new NotCompact();
    e.author(author);
    e.uint(pn[0]);
    e.uint(pn[1]);
  }
  const deps = Object.entries(r.deps);
  w.uvarint(deps.length);
  for (const [dep, tags] of deps) {
    if (dep === "__proto__" || !Array.isArray(tags)) throw new NotCompact();
    e.str(dep);
    w.uvarint(tags.length);
    for (const tag of tags) {
      const m = typeof tag === "string" ? TAG.exec(tag) : null;
      if (m === null) throw new NotCompact();
      e.idRef(m[1]!);
      e.uint(Number(m[2]));
    }
  }
  w.uvarint(r.claims.length);
  for (const c of r.claims) {
    e.stamp(c.stamp);
    e.nullableStr(c.by);
  }
  e.hlc(r.hide);
  e.hlc(r.unhide);
  e.nullableStamp(r.deleted);
  const present = (r.desc !== undefined ? HAS_DESC : 0) | (r.lastDelete !== undefined ? HAS_LAST_DELETE : 0) | (r.undeleted !== undefined ? HAS_UNDELETED : 0) | (r.log !== undefined ? HAS_LOG : 0);
  w.u8(present);
  if (r.desc !== undefined) e.lww(r.desc, str);
  if (r.lastDelete !== undefined) e.stamp(r.lastDelete);
  if (r.undeleted !== undefined) e.stamp(r.undeleted);
  if (r.log !== undefined) {
    w.uvarint(r.log.length);
    for (const s of r.log) e.stamp(s);
  }
}

/** What the previous `storyColumn.encode` returned for `record`. */
export function referenceStoryEncode(record: StoryRecord, idxOf: (author: string) => number): Buffer | string {
  for (const key in record) if (!KNOWN_KEYS.has(key)) return JSON.stringify(record);
  const e = new Encoder(idxOf);
  try {
    encodeRecord(e, record);
    return e.finish();
  } catch (err) {
    if (err instanceof NotCompact || err instanceof RangeError || err instanceof TypeError) return JSON.stringify(record);
    throw err;
  }
}
