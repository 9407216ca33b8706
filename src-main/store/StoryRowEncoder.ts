/**
 * Writes one `StoryRecord` as the compact story row (`storyColumn`, whose
 * header has the layout), or says it cannot (`encode` returns null: the
 * caller stores JSON instead).
 *
 * Invariants:
 * - The bytes are the on-disk format: the same record and authors table give
 *   the same bytes as every earlier build (storyColumnBytes.test.ts holds
 *   the previous encoder as the reference).
 * - Order is part of the format: the stamp table lists the log's stamps
 *   first, then every other stamp in body order; an id ref (creators, tags)
 *   points only at stamps registered before it is written (creators see the
 *   log's, tags also the registers'), so the body is written in one pass in
 *   that order, and the table is written in front of it at the end.
 * - `idxOf` is called in the same order as ever (retries' authors in body
 *   order, then the table's authors in table order): it may add a key, and
 *   the idx it hands out is in the bytes.
 * - Fast path (issue 14: every applied change re-encodes its story): the
 *   body goes into a plain number array and the row into ONE exact-size
 *   Buffer; the table's ids are checked and decoded in a few native passes
 *   over all of them at once (not a RegExp and a hex write per id); ASCII
 *   strings are copied without a native call; no closures per record.
 * - An encoder is used for one record (no state outlives the call).
 */
import { ByteWriter } from "../crdt/ByteWriter";
import type { Hlc, Stamp } from "../crdt/Hlc";
import type { Lww } from "../crdt/MvRegister";
import type { Placement, StoryRecord } from "../crdt/StoryRecord";
import { storyRowLayout } from "./storyRowLayout";

/** Thrown inside the encoder when the compact form cannot hold a value exactly. */
class NotCompact extends Error {}

/** Wall deltas beyond this are not zigzag-encodable as safe integers. */
const MAX_DELTA = 2 ** 51;
const LONE_SURROGATE = /\p{Cs}/u;
const HEX_ID = /^[0-9a-f]{64}$/;
/** A tag is `<64 hex>.<index>`, the index 0 or up to 15 digits without a leading zero. */
const TAG_MIN = 66;
const TAG_MAX = 80;
const DOT = 46;
/** From this many stamps on, ids are copied through DataViews, a word at a time. */
const WORD_COPY_MIN = 8;
const ZERO = 48;

/** What a register holds: how `lww` writes its values (no closure per record). */
type Value = typeof STR | typeof NULLABLE_STR | typeof BOOL | typeof PLACE;
const STR = 0;
const NULLABLE_STR = 1;
const BOOL = 2;
const PLACE = 3;

/** Canonical LEB128 of a safe integer ≥ 0 at `at`; returns the end. */
function putUvarint(buf: Buffer, at: number, n: number): number {
  // Bit operations are 32-bit in JS: divide for the high part.
  while (n >= 0x80) {
    buf[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[at++] = n;
  return at;
}

export class StoryRowEncoder {
  /** The row after the stamp table, byte by byte. */
  private readonly body: number[] = [];
  private readonly table: Stamp[] = [];
  private readonly byId = new Map<string, number>();

  private constructor(private readonly idxOf: (author: string) => number) {}

  /** The compact row of `record`, or null when the layout cannot hold it exactly. */
  static encode(record: StoryRecord, idxOf: (author: string) => number): Buffer | null {
    try {
      return new StoryRowEncoder(idxOf).row(record);
    } catch (err) {
      // A record of the wrong shape (a field missing or of another type) ends up here too.
      if (err instanceof NotCompact || err instanceof RangeError || err instanceof TypeError) return null;
      throw err;
    }
  }

  private row(r: StoryRecord): Buffer {
    const body = this.body;
    // The table in log order (small wall deltas); remember where each log stamp went.
    const log = r.log;
    const logAt: number[] = [];
    if (Array.isArray(log)) for (const s of log) logAt.push(this.register(s));
    this.uvarint(r.creators.length);
    for (const c of r.creators) this.idRef(c);
    this.lww(r.name, STR);
    this.lww(r.agent, NULLABLE_STR);
    this.lww(r.blocked, BOOL);
    this.lww(r.place, PLACE);
    const retries = r.retries;
    const authors = Object.keys(retries);
    this.uvarint(authors.length);
    for (const author of authors) {
      const pn = retries[author];
      if (author === "__proto__" || !Array.isArray(pn) || pn.length !== 2) throw new NotCompact();
      this.author(author);
      this.uint(pn[0]);
      this.uint(pn[1]);
    }
    const deps = r.deps;
    const elements = Object.keys(deps);
    this.uvarint(elements.length);
    for (const dep of elements) {
      const tags = deps[dep];
      if (dep === "__proto__" || !Array.isArray(tags)) throw new NotCompact();
      this.str(dep);
      this.uvarint(tags.length);
      for (const tag of tags) this.tag(tag);
    }
    this.uvarint(r.claims.length);
    for (const c of r.claims) {
      this.stamp(c.stamp);
      this.nullableStr(c.by);
    }
    this.hlc(r.hide);
    this.hlc(r.unhide);
    this.nullableStamp(r.deleted);
    const L = storyRowLayout;
    body.push((r.desc !== undefined ? L.hasDesc : 0) | (r.lastDelete !== undefined ? L.hasLastDelete : 0) | (r.undeleted !== undefined ? L.hasUndeleted : 0) | (r.log !== undefined ? L.hasLog : 0));
    if (r.desc !== undefined) this.lww(r.desc, STR);
    if (r.lastDelete !== undefined) this.stamp(r.lastDelete);
    if (r.undeleted !== undefined) this.stamp(r.undeleted);
    if (log !== undefined) {
      this.uvarint(log.length);
      if (!Array.isArray(log)) for (const s of log as Iterable<Stamp>) this.stamp(s);
      else
        for (let i = 0; i < log.length; i++) {
          // Registered above: the same check `register` would make, without the lookup.
          const s = log[i]!;
          const t = this.table[logAt[i]!]!;
          if (t.wall !== s.wall || t.logical !== s.logical || t.author !== s.author) throw new NotCompact();
          this.uvarint(logAt[i]!);
        }
    }
    return this.finish();
  }

  /** VERSION ‖ the stamp table ‖ the body, in one exact-size Buffer. */
  private finish(): Buffer {
    const table = this.table;
    const n = table.length;
    const idBytes = this.tableIds();
    if (idBytes === null) return this.failInTableOrder();
    // Every stamp is compact: now the authors' idxs (idxOf may add a key), in table order as ever.
    const idxs: number[] = [];
    let size = 1 + ByteWriter.uvarintLength(n);
    let prev = 0;
    for (const s of table) {
      const idx = this.idxOf(s.author);
      if (!Number.isSafeInteger(idx) || idx < 0) throw new RangeError(`not an author idx: ${idx}`);
      idxs.push(idx);
      const d = s.wall - prev;
      prev = s.wall;
      size += ByteWriter.uvarintLength(d >= 0 ? d * 2 : -d * 2 - 1) + ByteWriter.uvarintLength(s.logical) + ByteWriter.uvarintLength(idx) + 32;
    }
    const body = this.body;
    const out = Buffer.allocUnsafe(size + body.length);
    out[0] = storyRowLayout.version;
    let at = putUvarint(out, 1, n);
    // Ids copied 4 bytes at a time once there are enough of them to pay for the two views.
    const words = n >= WORD_COPY_MIN;
    const src = words ? new DataView(idBytes.buffer, idBytes.byteOffset, idBytes.length) : null;
    const dst = words ? new DataView(out.buffer, out.byteOffset, out.length) : null;
    prev = 0;
    for (let i = 0; i < n; i++) {
      const s = table[i]!;
      const d = s.wall - prev;
      prev = s.wall;
      at = putUvarint(out, at, d >= 0 ? d * 2 : -d * 2 - 1);
      at = putUvarint(out, at, s.logical);
      at = putUvarint(out, at, idxs[i]!);
      if (src !== null && dst !== null) for (let k = 32 * i, end = k + 32; k < end; k += 4, at += 4) dst.setUint32(at, src.getUint32(k));
      else for (let k = 32 * i, end = k + 32; k < end; k++) out[at++] = idBytes[k]!;
    }
    out.set(body, at);
    return out;
  }

  /**
   * The raw bytes of every table id (32 each, in table order) when every
   * stamp of the table is compact, else null; no side effect. The ids are
   * checked and decoded together: a RegExp and a hex write per id cost more
   * than the rest of the row (issue 14's profile).
   */
  private tableIds(): Buffer | null {
    let ids = "";
    let prev = 0;
    for (const s of this.table) {
      const wall = s.wall;
      if (typeof wall !== "number" || !Number.isSafeInteger(wall) || wall < 0 || Math.abs(wall - prev) >= MAX_DELTA) return null;
      prev = wall;
      const logical = s.logical;
      if (typeof logical !== "number" || !Number.isSafeInteger(logical) || logical < 0) return null;
      if (typeof s.author !== "string" || s.id.length !== 64) return null;
      ids += s.id;
    }
    // /^([0-9a-f]{64})*$/, in three native passes: ASCII only (so a wide char cannot alias a hex digit),
    // no uppercase (it would decode, but not read back the same), and every pair a hex digit (decoding stops at the first that is not).
    if (Buffer.byteLength(ids, "utf8") !== ids.length || ids.toLowerCase() !== ids) return null;
    const bytes = Buffer.from(ids, "hex");
    return bytes.length * 2 === ids.length ? bytes : null;
  }

  /** Some stamp is not compact: throw where the stamp-by-stamp check always did (the same idxOf calls before it). */
  private failInTableOrder(): never {
    let prev = 0;
    for (const s of this.table) {
      if (typeof s.wall !== "number" || !Number.isSafeInteger(s.wall) || s.wall < 0) break;
      if (Math.abs(s.wall - prev) >= MAX_DELTA) break;
      prev = s.wall;
      if (typeof s.logical !== "number" || !Number.isSafeInteger(s.logical) || s.logical < 0) break;
      if (typeof s.author !== "string") break;
      this.idxOf(s.author);
      if (!HEX_ID.test(s.id)) break;
    }
    throw new NotCompact();
  }

  /** The table index of `s`, adding it; a different stamp under a known id cannot be held. */
  private register(s: Stamp | null | undefined): number {
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

  private uvarint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a uvarint: ${n}`);
    const body = this.body;
    while (n >= 0x80) {
      body.push((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    body.push(n);
  }

  private idRef(id: unknown): void {
    const at = typeof id === "string" ? this.byId.get(id) : undefined;
    if (at !== undefined) return this.uvarint(at + 1);
    this.body.push(0);
    if (typeof id !== "string" || !HEX_ID.test(id)) throw new NotCompact();
    for (const b of Buffer.from(id, "hex")) this.body.push(b);
  }

  /** `<change id>.<n>` = id ref ‖ uvarint n; exactly what /^([0-9a-f]{64})\.(0|[1-9][0-9]{0,14})$/ accepts. */
  private tag(tag: unknown): void {
    if (typeof tag !== "string") throw new NotCompact();
    const len = tag.length;
    if (len < TAG_MIN || len > TAG_MAX || tag.charCodeAt(64) !== DOT) throw new NotCompact();
    if (tag.charCodeAt(65) === ZERO && len !== TAG_MIN) throw new NotCompact(); // "01" would print back as "1"
    let n = 0;
    for (let i = 65; i < len; i++) {
      const digit = tag.charCodeAt(i) - ZERO;
      if (digit < 0 || digit > 9) throw new NotCompact();
      n = n * 10 + digit; // ≤ 15 digits: exact
    }
    const change = tag.slice(0, 64);
    if (!HEX_ID.test(change)) throw new NotCompact();
    this.idRef(change);
    this.uvarint(n);
  }

  private uint(n: unknown): void {
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new NotCompact();
    this.uvarint(n);
  }

  /** uvarint(UTF-8 length) ‖ UTF-8; a lone surrogate would not read back the same. */
  private str(s: unknown): void {
    if (typeof s !== "string") throw new NotCompact();
    const body = this.body;
    const len = s.length;
    let ascii = true;
    for (let i = 0; i < len; i++)
      if (s.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    if (ascii) {
      // Stages, ranks and most names: a byte per char, no native call.
      this.uvarint(len);
      for (let i = 0; i < len; i++) body.push(s.charCodeAt(i));
      return;
    }
    if (LONE_SURROGATE.test(s)) throw new NotCompact();
    const bytes = Buffer.from(s, "utf8");
    this.uvarint(bytes.length);
    for (let i = 0; i < bytes.length; i++) body.push(bytes[i]!);
  }

  private nullableStr(s: unknown): void {
    if (s === null) return void this.body.push(0);
    this.body.push(1);
    this.str(s);
  }

  private author(key: unknown): void {
    if (typeof key !== "string") throw new NotCompact();
    this.uvarint(this.idxOf(key));
  }

  private stamp(s: Stamp | null | undefined): void {
    this.uvarint(this.register(s));
  }

  private nullableStamp(s: Stamp | null): void {
    if (s === null) return void this.body.push(0);
    this.body.push(1);
    this.stamp(s);
  }

  private hlc(h: Hlc | null): void {
    if (h === null) return void this.body.push(0);
    if (typeof h !== "object" || "author" in h || "id" in h) throw new NotCompact();
    this.body.push(1);
    this.uint(h.wall);
    this.uint(h.logical);
  }

  /** register = value ‖ stamp ‖ uvarint (0 = no `others`, n + 1 = n writes). */
  private lww(reg: Lww<unknown>, kind: Value): void {
    if (typeof reg !== "object" || reg === null) throw new NotCompact();
    this.value(reg.value, kind);
    this.stamp(reg.stamp);
    const others = reg.others;
    if (others === undefined) return void this.body.push(0);
    if (!Array.isArray(others)) throw new NotCompact();
    this.uvarint(others.length + 1);
    for (const o of others) {
      this.value(o.value, kind);
      this.stamp(o.stamp);
    }
  }

  private value(v: unknown, kind: Value): void {
    if (kind === STR) return this.str(v);
    if (kind === NULLABLE_STR) return this.nullableStr(v);
    if (kind === BOOL) {
      if (typeof v !== "boolean") throw new NotCompact();
      return void this.body.push(v ? 1 : 0);
    }
    const p = v as Placement | null;
    if (typeof p !== "object" || p === null) throw new NotCompact();
    this.str(p.stage);
    this.str(p.rank);
  }
}
