/**
 * Reads one compact story row (`storyColumn`, whose header has the layout)
 * back into the `StoryRecord` it was written from.
 *
 * Invariants:
 * - Untrusted bytes: every read is bounded (`ByteReader`), every count is
 *   checked against the bytes left before anything is allocated from it,
 *   every index must point into the stamp table, trailing bytes are an
 *   error; a bad row throws, it never yields a wrong record.
 * - The record has the same shape and key order as the one encoded (stamps
 *   `{ wall, logical, author, id }`, registers `{ value, stamp, others? }`);
 *   every use of a stamp is the table's one object.
 * - No closures per record (a value kind instead): this runs for every
 *   story a catch-up touches.
 */
import type { Hlc, Stamp } from "../crdt/Hlc";
import type { Lww } from "../crdt/MvRegister";
import type { ClaimEvent, Placement, StoryRecord } from "../crdt/StoryRecord";
import { ByteReader } from "../crdt/ByteReader";
import type { StageId } from "../../src-shared/stages";
import { storyRowLayout } from "./storyRowLayout";

/** What a register holds: how `lww` reads its values. */
type Value = typeof STR | typeof NULLABLE_STR | typeof BOOL | typeof PLACE;
const STR = 0;
const NULLABLE_STR = 1;
const BOOL = 2;
const PLACE = 3;
const MAX_ITEMS = 1 << 20;

export class StoryRowDecoder {
  private readonly r: ByteReader;
  private readonly table: Stamp[];

  private constructor(
    bytes: Buffer,
    private readonly keyOf: (idx: number) => string,
  ) {
    const r = (this.r = new ByteReader(bytes));
    if (r.u8() !== storyRowLayout.version) throw new Error("unknown story row version");
    const n = r.count(MAX_ITEMS, 35, "stamps");
    const table: { wall: number; logical: number; author: string; id: string }[] = [];
    const at: number[] = [];
    let wall = 0;
    for (let i = 0; i < n; i++) {
      const z = this.uvarint();
      wall += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      if (!Number.isSafeInteger(wall) || wall < 0) throw new Error("a stamp's wall is out of range");
      const logical = this.uvarint();
      table.push({ wall, logical, author: keyOf(this.uvarint()), id: "" });
      at.push(r.pos);
      r.skip(32);
    }
    if (n > 0) {
      // One hex pass over the whole table, each id a slice of it: a native call per id costs more than its 32 bytes.
      const from = at[0]!;
      const hex = bytes.toString("hex", from, r.pos);
      for (let i = 0; i < n; i++) {
        const o = 2 * (at[i]! - from);
        table[i]!.id = hex.slice(o, o + 64);
      }
    }
    this.table = table;
  }

  /** The record stored in `bytes` under the row key `id`; throws on a damaged row. */
  static decode(id: string, bytes: Buffer, keyOf: (idx: number) => string): StoryRecord {
    return new StoryRowDecoder(bytes, keyOf).record(id);
  }

  private record(id: string): StoryRecord {
    const r = this.r;
    const creators = new Array<string>(r.count(MAX_ITEMS, 1, "creators"));
    for (let i = 0; i < creators.length; i++) creators[i] = this.idRef();
    const name = this.lww<string>(STR);
    const agent = this.lww<string | null>(NULLABLE_STR);
    const blocked = this.lww<boolean>(BOOL);
    const place = this.lww<Placement>(PLACE);
    const retries: Record<string, [number, number]> = {};
    for (let n = this.uvarint(); n > 0; n--) {
      const author = this.keyOf(this.uvarint());
      const p = this.uvarint();
      retries[author] = [p, this.uvarint()];
    }
    const deps: Record<string, string[]> = {};
    for (let n = this.uvarint(); n > 0; n--) {
      const dep = r.string();
      const tags = new Array<string>(r.count(MAX_ITEMS, 2, "tags"));
      for (let i = 0; i < tags.length; i++) {
        const change = this.idRef();
        tags[i] = `${change}.${this.uvarint()}`;
      }
      deps[dep] = tags;
    }
    const claims = new Array<ClaimEvent>(r.count(MAX_ITEMS, 2, "claims"));
    for (let i = 0; i < claims.length; i++) {
      const stamp = this.stamp();
      claims[i] = { stamp, by: this.nullableStr() };
    }
    const rec: StoryRecord = { id, creators, name, agent, blocked, place, retries, deps, claims, hide: this.hlc(), unhide: this.hlc(), deleted: this.nullableStamp() };
    const present = r.u8();
    const L = storyRowLayout;
    if (present & L.hasDesc) rec.desc = this.lww<string>(STR);
    if (present & L.hasLastDelete) rec.lastDelete = this.stamp();
    if (present & L.hasUndeleted) rec.undeleted = this.stamp();
    if (present & L.hasLog) {
      const log = new Array<Stamp>(r.count(MAX_ITEMS, 1, "log stamps"));
      for (let i = 0; i < log.length; i++) log[i] = this.stamp();
      rec.log = log;
    }
    if (r.remaining !== 0) throw new Error("story row has trailing bytes");
    return rec;
  }

  /**
   * `ByteReader.uvarint`, with values of up to 3 bytes (every index, count
   * and logical, nearly every wall delta) read in place; anything else, an
   * overlong form or a truncated one included, goes to the reader.
   */
  private uvarint(): number {
    const r = this.r;
    const buf = r.buf;
    const pos = r.pos;
    const left = r.end - pos;
    if (left > 0) {
      const b0 = buf[pos]!;
      if (b0 < 0x80) {
        r.pos = pos + 1;
        return b0;
      }
      if (left > 1) {
        const b1 = buf[pos + 1]!;
        if (b1 < 0x80) {
          if (b1 !== 0) {
            r.pos = pos + 2;
            return (b0 & 0x7f) | (b1 << 7);
          }
        } else if (left > 2) {
          const b2 = buf[pos + 2]!;
          if (b2 < 0x80 && b2 !== 0) {
            r.pos = pos + 3;
            return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
          }
        }
      }
    }
    return r.uvarint();
  }

  private stamp(): Stamp {
    const s = this.table[this.uvarint()];
    if (s === undefined) throw new Error("a stamp index past the table");
    return s;
  }

  private idRef(): string {
    const k = this.uvarint();
    if (k === 0) return this.r.hex32();
    const s = this.table[k - 1];
    if (s === undefined) throw new Error("an id index past the table");
    return s.id;
  }

  private nullableStamp(): Stamp | null {
    return this.r.u8() === 0 ? null : this.stamp();
  }

  private hlc(): Hlc | null {
    if (this.r.u8() === 0) return null;
    const wall = this.uvarint();
    return { wall, logical: this.uvarint() };
  }

  private nullableStr(): string | null {
    return this.r.u8() === 0 ? null : this.r.string();
  }

  private lww<T>(kind: Value): Lww<T> {
    const reg: Lww<T> = { value: this.value(kind) as T, stamp: this.stamp() };
    const n = this.uvarint();
    if (n > 0) {
      const others: { value: T; stamp: Stamp }[] = [];
      for (let i = 1; i < n; i++) {
        const value = this.value(kind) as T;
        others.push({ value, stamp: this.stamp() });
      }
      reg.others = others;
    }
    return reg;
  }

  private value(kind: Value): string | null | boolean | Placement {
    if (kind === STR) return this.r.string();
    if (kind === NULLABLE_STR) return this.nullableStr();
    if (kind === BOOL) return this.r.u8() === 1;
    const stage = this.r.string() as StageId;
    return { stage, rank: this.r.string() };
  }
}
