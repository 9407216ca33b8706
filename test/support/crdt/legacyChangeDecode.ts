/**
 * A frozen copy of the format-2 change decoder as it was before issue 14's
 * fast decoder (commit 1ce9dd6): read positionally, check the whole change
 * with zod, re-encode and compare the bytes. It is the reference the
 * differential test (`changeDecode.differential.test.ts`) and the
 * `changeDecode` benchmark compare the production decoder with: both must
 * accept exactly the same byte strings with the same `SignedChange`.
 * Nothing here is used by production code; do not "fix" it — it is the old
 * behaviour on purpose (only format 2: format 1 did not change).
 */
import { createHash } from "node:crypto";
import { changeSchema, MAX_DEPS, MAX_OPS_PER_CHANGE, opSchema, type Change, type Op } from "../../../src-main/crdt/Change";

type LegacyDecodeResult = { ok: true; value: { id: string; sig: Uint8Array; change: Change; bytes: Uint8Array } } | { ok: false; reason: string };

class LegacyReadError extends Error {}
class LegacyEncodeError extends Error {}

const MAX_CHANGE_BYTES = 1024 * 1024 - 16 * 1024;
const MIN_V2_BODY = 37;
const HEX64 = /^[0-9a-f]{64}$/;
const LONE_SURROGATE = /\p{Cs}/u;
const MAX_NESTING = 8;
const [T_ABSENT, T_NULL, T_FALSE, T_TRUE, T_UINT, T_NEGINT, T_STRING, T_HEX32, T_ARRAY, T_MAP] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

interface Layout {
  readonly t: string;
  readonly keys: readonly string[];
  readonly optional: readonly boolean[];
}

function layouts(): ReadonlyMap<string, Layout> {
  return new Map(
    opSchema.options.map((option) => {
      const shape = option.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
      const t = (option.shape.t as unknown as { value: string }).value;
      const keys = Object.keys(shape)
        .filter((k) => k !== "t")
        .sort();
      return [t, { t, keys, optional: keys.map((k) => shape[k]!.safeParse(undefined).success) }];
    }),
  );
}

class Reader {
  readonly buf: Buffer;
  pos = 0;
  readonly end: number;
  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    this.end = bytes.length;
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  u8(): number {
    if (this.pos >= this.end) throw new LegacyReadError("truncated");
    return this.buf[this.pos++]!;
  }
  uvarint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw new LegacyReadError("truncated varint");
      const b = this.buf[this.pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (b === 0 && i > 0) throw new LegacyReadError("overlong varint");
        if (value > Number.MAX_SAFE_INTEGER) throw new LegacyReadError("varint above 2^53-1");
        return value;
      }
      scale *= 128;
    }
    throw new LegacyReadError("varint above 2^53-1");
  }
  count(max: number, minItemBytes: number, what: string): number {
    const n = this.uvarint();
    if (n > max) throw new LegacyReadError(`too many ${what} (${n} > ${max})`);
    if (n * minItemBytes > this.remaining) throw new LegacyReadError(`${what} run past the end`);
    return n;
  }
  hex32(): string {
    if (this.end - this.pos < 32) throw new LegacyReadError("truncated 32-byte value");
    const s = this.buf.toString("hex", this.pos, this.pos + 32);
    this.pos += 32;
    return s;
  }
  string(): string {
    const len = this.uvarint();
    if (len > this.end - this.pos) throw new LegacyReadError("string runs past the end");
    const s = this.buf.toString("utf8", this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
}

class Writer {
  private buf: Buffer;
  private at = 0;
  constructor(capacity = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, capacity));
  }
  u8(b: number): void {
    this.reserve(1);
    this.buf[this.at++] = b;
  }
  uvarint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a uvarint: ${n}`);
    this.reserve(8);
    while (n >= 0x80) {
      this.buf[this.at++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.at++] = n;
  }
  hex32(hex: string): void {
    this.reserve(32);
    this.at += this.buf.write(hex, this.at, 32, "hex");
  }
  string(s: string): void {
    const len = Buffer.byteLength(s, "utf8");
    this.uvarint(len);
    this.reserve(len);
    this.at += this.buf.write(s, this.at, len, "utf8");
  }
  finish(): Buffer {
    return this.buf.subarray(0, this.at);
  }
  private reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
}

/** The old id of a format-2 body in `workspace` (a Hash object, a prefix writer, two updates). */
export function legacyChangeIdV2(workspace: string, body: Uint8Array): string {
  const w = new Writer(8 + workspace.length * 3);
  w.u8(2);
  w.string(workspace);
  return createHash("sha256").update(w.finish()).update(body).digest("hex");
}

/** The old decoder, bound to the op layouts of the current schema (the contract both decoders share). */
export function legacyChangeDecoder(): (bytes: Uint8Array, workspace: string) => LegacyDecodeResult {
  const LAYOUTS = layouts();
  const changeIdV2 = legacyChangeIdV2;

  function encodeBodyV2(change: Change, capacity: number): Buffer {
    if (change.v !== 2) throw new LegacyEncodeError("format 2 carries v2 changes only");
    if (!HEX64.test(change.author)) throw new LegacyEncodeError("author is not 64 lowercase hex chars");
    const w = new Writer(capacity);
    w.hex32(change.author);
    w.uvarint(change.seq);
    w.uvarint(change.deps.length);
    for (const d of change.deps) {
      if (!HEX64.test(d)) throw new LegacyEncodeError("a dep is not 64 lowercase hex chars");
      w.hex32(d);
    }
    w.uvarint(change.clock.wall);
    w.uvarint(change.clock.logical);
    w.uvarint(change.ops.length);
    for (const op of change.ops) encodeOp(w, op);
    return w.finish();
  }

  function encodeOp(w: Writer, op: Op): void {
    const layout = LAYOUTS.get(op.t);
    if (!layout) throw new LegacyEncodeError(`unknown op type ${String(op.t)}`);
    w.string(layout.t);
    const record = op as unknown as Record<string, unknown>;
    for (let i = 0; i < layout.keys.length; i++) {
      const v = record[layout.keys[i]!];
      if (v === undefined) {
        if (!layout.optional[i]) throw new LegacyEncodeError(`op ${layout.t} needs ${layout.keys[i]}`);
        w.u8(T_ABSENT);
      } else {
        encodeValue(w, v, 0);
      }
    }
  }

  function encodeValue(w: Writer, v: unknown, depth: number): void {
    switch (typeof v) {
      case "boolean":
        w.u8(v ? T_TRUE : T_FALSE);
        return;
      case "number":
        if (!Number.isSafeInteger(v)) throw new LegacyEncodeError(`only safe integers are encodable, not ${v}`);
        if (v >= 0) {
          w.u8(T_UINT);
          w.uvarint(v);
        } else {
          w.u8(T_NEGINT);
          w.uvarint(-v - 1);
        }
        return;
      case "string":
        if (v.length === 64 && HEX64.test(v)) {
          w.u8(T_HEX32);
          w.hex32(v);
        } else {
          if (LONE_SURROGATE.test(v)) throw new LegacyEncodeError("a string with a lone surrogate is not encodable as UTF-8");
          w.u8(T_STRING);
          w.string(v);
        }
        return;
      case "object": {
        if (v === null) {
          w.u8(T_NULL);
          return;
        }
        if (depth >= MAX_NESTING) throw new LegacyEncodeError("op values nest too deep");
        if (Array.isArray(v)) {
          w.u8(T_ARRAY);
          w.uvarint(v.length);
          for (const item of v) {
            if (item === undefined) throw new LegacyEncodeError("undefined inside an array");
            encodeValue(w, item, depth + 1);
          }
          return;
        }
        const proto: unknown = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) throw new LegacyEncodeError("only plain objects are encodable");
        const record = v as Record<string, unknown>;
        const keys = Object.keys(record)
          .filter((k) => record[k] !== undefined)
          .sort();
        w.u8(T_MAP);
        w.uvarint(keys.length);
        for (const k of keys) {
          if (LONE_SURROGATE.test(k)) throw new LegacyEncodeError("a key with a lone surrogate is not encodable as UTF-8");
          w.string(k);
          encodeValue(w, record[k], depth + 1);
        }
        return;
      }
      default:
        throw new LegacyEncodeError(`a ${typeof v} is not encodable`);
    }
  }

  function decodeOp(r: Reader): Record<string, unknown> {
    const t = r.string();
    const layout = LAYOUTS.get(t);
    if (!layout) throw new LegacyReadError(`unknown op type ${JSON.stringify(t.slice(0, 32))}`);
    const op: Record<string, unknown> = { t };
    for (const key of layout.keys) {
      const v = decodeValue(r, 0, true);
      if (v !== undefined) op[key] = v;
    }
    return op;
  }

  function decodeValue(r: Reader, depth: number, absentAllowed: boolean): unknown {
    const tag = r.u8();
    switch (tag) {
      case T_ABSENT:
        if (!absentAllowed) throw new LegacyReadError("absent inside a value");
        return undefined;
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_UINT:
        return r.uvarint();
      case T_NEGINT:
        return -r.uvarint() - 1;
      case T_STRING:
        return r.string();
      case T_HEX32:
        return r.hex32();
      case T_ARRAY: {
        if (depth >= MAX_NESTING) throw new LegacyReadError("op values nest too deep");
        const n = r.count(Number.MAX_SAFE_INTEGER, 1, "array items");
        const out: unknown[] = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = decodeValue(r, depth + 1, false);
        return out;
      }
      case T_MAP: {
        if (depth >= MAX_NESTING) throw new LegacyReadError("op values nest too deep");
        const n = r.count(Number.MAX_SAFE_INTEGER, 2, "map entries");
        const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        for (let i = 0; i < n; i++) {
          const k = r.string();
          out[k] = decodeValue(r, depth + 1, false);
        }
        return { ...out };
      }
      default:
        throw new LegacyReadError(`unknown value tag ${tag}`);
    }
  }

  function decodeBodyV2(body: Uint8Array, workspace: string): Change {
    const r = new Reader(body);
    const author = r.hex32();
    const seq = r.uvarint();
    const nDeps = r.count(MAX_DEPS, 32, "deps");
    const deps = new Array<string>(nDeps);
    for (let i = 0; i < nDeps; i++) deps[i] = r.hex32();
    const wall = r.uvarint();
    const logical = r.uvarint();
    const nOps = r.count(MAX_OPS_PER_CHANGE, 1, "ops");
    const ops = new Array<unknown>(nOps);
    for (let i = 0; i < nOps; i++) ops[i] = decodeOp(r);
    if (r.remaining !== 0) throw new LegacyReadError("trailing bytes after the ops");
    const parsed = changeSchema.safeParse({ v: 2, workspace, author, seq, deps, clock: { wall, logical }, ops });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LegacyReadError(`invalid change: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "shape"}`);
    }
    const again = encodeBodyV2(parsed.data, body.length);
    if (!again.equals(r.buf)) throw new LegacyReadError("body is not the canonical encoding");
    return parsed.data;
  }

  return (bytes, workspace) => {
    if (bytes.length > MAX_CHANGE_BYTES) return { ok: false, reason: "change too large" };
    if (bytes[0] !== 2) return { ok: false, reason: "not format 2" };
    if (bytes.length < 65 + MIN_V2_BODY) return { ok: false, reason: "change too short" };
    const copy = Uint8Array.from(bytes);
    const body = copy.subarray(65);
    let change: Change;
    try {
      change = decodeBodyV2(body, workspace);
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : "undecodable body" };
    }
    return { ok: true, value: { id: changeIdV2(workspace, body), sig: copy.subarray(1, 65), change, bytes: copy } };
  };
}
