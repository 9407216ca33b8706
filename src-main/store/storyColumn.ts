/**
 * How a `StoryRecord` is kept in the v5 `stories.record` column (issue 14):
 * a compact binary row instead of JSON that repeats a 64-hex author key in
 * every stamp and a 64-hex change id in every creator and dependsOn tag.
 *
 * Layout (a BLOB; the story id is the row key, not repeated):
 *   0x01 ‖ stamps ‖ creators ‖ name ‖ agent ‖ blocked ‖ place ‖ retries ‖
 *   deps ‖ claims ‖ hide ‖ unhide ‖ deleted ‖ present(u8 bit set) ‖ desc? ‖
 *   lastDelete? ‖ undeleted? ‖ log?
 * - stamps = the record's distinct stamps once each (the log's first, in
 *   its order): uvarint n ‖ n × (zigzag uvarint wall delta from the previous
 *   entry ‖ uvarint logical ‖ uvarint author idx ‖ id(32)); every stamp in
 *   the record is then a uvarint index into it (a register's stamp is
 *   nearly always one of the log's, so it costs a byte);
 * - id ref (creators, tags) = uvarint 0 ‖ id(32), or k + 1: the id of stamp k;
 * - register = value ‖ stamp ‖ uvarint (0 = no `others`, n + 1 = n writes);
 * - tag `<id>.<n>` = id ref ‖ uvarint n; counts and strings are uvarint-led;
 * - null-able values lead with 0 (null) / 1.
 *
 * Invariants:
 * - Exact: decode(encode(r)) deep-equals r (key order of `retries`/`deps`
 *   kept). Anything the layout cannot hold exactly (an id that is not
 *   64-hex, a clock that is not a uvarint, a lone surrogate, an unknown key,
 *   a stamp-shaped `hide`) makes `encode` return the JSON text instead,
 *   stored as TEXT: SQLite never confuses TEXT with a BLOB, so the fallback
 *   is never lost and never misread. v4 rows (JSON TEXT) read the same way.
 * - Author keys go through the `authors` table (`idxOf` adds a key: a write,
 *   as `putStory` is one); idxs never change, so a row stays decodable.
 * - No per-byte closures, no compression: `putStory` is on the catch-up path.
 */
import type { Hlc, Stamp } from "../crdt/Hlc";
import type { Lww } from "../crdt/MvRegister";
import type { ClaimEvent, Placement, StoryRecord } from "../crdt/StoryRecord";
import { ByteReader } from "../crdt/ByteReader";
import { ByteWriter } from "../crdt/ByteWriter";
import type { StageId } from "../../src-shared/stages";

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

export type StoryValue = Buffer | string;

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

class Decoder {
  readonly table: Stamp[];
  constructor(
    readonly r: ByteReader,
    readonly keyOf: (idx: number) => string,
  ) {
    if (r.u8() !== VERSION) throw new Error("unknown story row version");
    this.table = new Array<Stamp>(r.count(1 << 20, 35, "stamps"));
    let wall = 0;
    for (let i = 0; i < this.table.length; i++) {
      const z = r.uvarint();
      wall += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      if (!Number.isSafeInteger(wall) || wall < 0) throw new Error("a stamp's wall is out of range");
      const logical = r.uvarint();
      const author = keyOf(r.uvarint());
      this.table[i] = { wall, logical, author, id: r.hex32() };
    }
  }
  stamp(): Stamp {
    const s = this.table[this.r.uvarint()];
    if (s === undefined) throw new Error("a stamp index past the table");
    return s;
  }
  idRef(): string {
    const k = this.r.uvarint();
    if (k === 0) return this.r.hex32();
    const s = this.table[k - 1];
    if (s === undefined) throw new Error("an id index past the table");
    return s.id;
  }
  nullableStamp(): Stamp | null {
    return this.r.u8() === 0 ? null : this.stamp();
  }
  hlc(): Hlc | null {
    if (this.r.u8() === 0) return null;
    const wall = this.r.uvarint();
    return { wall, logical: this.r.uvarint() };
  }
  nullableStr(): string | null {
    return this.r.u8() === 0 ? null : this.r.string();
  }
  lww<T>(value: () => T): Lww<T> {
    const v = value();
    const reg: Lww<T> = { value: v, stamp: this.stamp() };
    const n = this.r.uvarint();
    if (n > 0) {
      const others: { value: T; stamp: Stamp }[] = [];
      for (let i = 1; i < n; i++) {
        const ov = value();
        others.push({ value: ov, stamp: this.stamp() });
      }
      reg.others = others;
    }
    return reg;
  }
}

function decodeRecord(id: string, d: Decoder): StoryRecord {
  const r = d.r;
  const creators = new Array<string>(r.count(1 << 20, 1, "creators"));
  for (let i = 0; i < creators.length; i++) creators[i] = d.idRef();
  const str = (): string => r.string();
  const name = d.lww(str);
  const agent = d.lww(() => d.nullableStr());
  const blocked = d.lww(() => r.u8() === 1);
  const place = d.lww((): Placement => {
    const stage = r.string() as StageId;
    return { stage, rank: r.string() };
  });
  const retries: Record<string, [number, number]> = {};
  for (let n = r.uvarint(); n > 0; n--) {
    const author = d.keyOf(r.uvarint());
    const p = r.uvarint();
    retries[author] = [p, r.uvarint()];
  }
  const deps: Record<string, string[]> = {};
  for (let n = r.uvarint(); n > 0; n--) {
    const dep = r.string();
    const tags = new Array<string>(r.count(1 << 20, 2, "tags"));
    for (let i = 0; i < tags.length; i++) {
      const change = d.idRef();
      tags[i] = `${change}.${r.uvarint()}`;
    }
    deps[dep] = tags;
  }
  const claims: ClaimEvent[] = new Array<ClaimEvent>(r.count(1 << 20, 2, "claims"));
  for (let i = 0; i < claims.length; i++) {
    const stamp = d.stamp();
    claims[i] = { stamp, by: d.nullableStr() };
  }
  const rec: StoryRecord = { id, creators, name, agent, blocked, place, retries, deps, claims, hide: d.hlc(), unhide: d.hlc(), deleted: d.nullableStamp() };
  const present = r.u8();
  if (present & HAS_DESC) rec.desc = d.lww(str);
  if (present & HAS_LAST_DELETE) rec.lastDelete = d.stamp();
  if (present & HAS_UNDELETED) rec.undeleted = d.stamp();
  if (present & HAS_LOG) {
    const log = new Array<Stamp>(r.count(1 << 20, 1, "log stamps"));
    for (let i = 0; i < log.length; i++) log[i] = d.stamp();
    rec.log = log;
  }
  if (r.remaining !== 0) throw new Error("story row has trailing bytes");
  return rec;
}

export const storyColumn = {
  /** The compact BLOB, or the JSON text when the compact form cannot hold `record` exactly. */
  encode(record: StoryRecord, idxOf: (author: string) => number): StoryValue {
    for (const key in record) if (!KNOWN_KEYS.has(key)) return JSON.stringify(record);
    const e = new Encoder(idxOf);
    try {
      encodeRecord(e, record);
      return e.finish();
    } catch (err) {
      if (err instanceof NotCompact || err instanceof RangeError || err instanceof TypeError) return JSON.stringify(record);
      throw err;
    }
  },

  /** `id` is the row key; a TEXT value is the JSON form (fallback, or a row from before the compact form). */
  decode(id: string, value: StoryValue, keyOf: (idx: number) => string): StoryRecord {
    if (typeof value === "string") return JSON.parse(value) as StoryRecord;
    try {
      return decodeRecord(id, new Decoder(new ByteReader(value), keyOf));
    } catch (err) {
      throw new Error(`story ${id}: stored row does not decode (${err instanceof Error ? err.message : String(err)})`);
    }
  },
};
