/**
 * The positional binary encoding of ops in change format 2, derived at
 * module load from `opSchema` (Change.ts): each op type's layout is its
 * shape's keys other than `t`, sorted. A new op type in the schema needs no
 * change here.
 *
 *   op    = string(t) ‖ value × (the layout's keys, in order)
 *   value = tag ‖ payload, tags:
 *     0 absent (an optional key left out)   1 null   2 false   3 true
 *     4 uint: uvarint n                     5 negative int: uvarint(−n − 1)
 *     6 string: uvarint byteLength ‖ UTF-8
 *     7 hex32: a string of exactly 64 lowercase hex chars, as 32 raw bytes
 *     8 array: uvarint count ‖ value × count
 *     9 map: uvarint count ‖ (string key ‖ value) × count, keys sorted, distinct
 *
 * Invariants: the encoding of a value is unique (a 64-hex string is ALWAYS
 * tag 7, integers are never floats, keys are sorted); `decodeOp` enforces
 * that while reading (it accepts exactly the bytes `encodeOp` would write for
 * the value it read, without re-encoding) and checks the op with its type's
 * zod schema, so an op schema must not transform (its output is its input:
 * what was read is what is returned and what re-encodes to the same bytes).
 * Non-integer numbers, lone surrogates, undefined inside arrays and
 * non-plain objects are unencodable (`ChangeEncodeError`). Decoding bounds
 * every count by the bytes left and nesting by `MAX_NESTING`, and throws
 * `ByteReadError`.
 */
import { ByteReadError, type ByteReader } from "./ByteReader";
import type { ByteWriter } from "./ByteWriter";
import { opSchema, type Op } from "./Change";
import { compileOpCheck } from "./changeCodecOpCheck";

export class ChangeEncodeError extends Error {
  override readonly name = "ChangeEncodeError";
}

const T_ABSENT = 0;
const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_UINT = 4;
const T_NEGINT = 5;
const T_STRING = 6;
const T_HEX32 = 7;
const T_ARRAY = 8;
const T_MAP = 9;

/** Arrays and maps inside an op nest at most this deep (a hostile 1 MiB of nested arrays must not blow the stack). */
const MAX_NESTING = 8;
const HEX64 = /^[0-9a-f]{64}$/;
/** Strings up to this many bytes are decoded in JS (see `readString`). */
const SHORT_STRING = 32;
const LONE_SURROGATE = /\p{Cs}/u;

interface Layout {
  readonly t: string;
  readonly keys: readonly string[];
  readonly optional: readonly boolean[];
  /** The op type's own schema (what `opSchema` dispatches to for this `t`). */
  readonly schema: (typeof opSchema.options)[number];
  /** Sufficient checks compiled from `schema`, in its key order, with where each value sits in `keys` (-1: `t`); null: zod only. */
  readonly fast: { readonly keys: readonly string[]; readonly at: readonly number[]; readonly checks: readonly ((v: unknown) => boolean)[] } | null;
}

function fastCheckOf(option: unknown, layoutKeys: readonly string[]): Layout["fast"] {
  const compiled = compileOpCheck(option);
  if (!compiled) return null;
  const at = compiled.keys.map((k) => (k === "t" ? -1 : layoutKeys.indexOf(k)));
  if (at.some((i, j) => i === -1 && compiled.keys[j] !== "t")) return null;
  return { keys: compiled.keys, at, checks: compiled.checks.map((c) => c ?? (() => true)) };
}

/** The op layouts by `t`, read once from the schema (immutable after load). */
const LAYOUTS: ReadonlyMap<string, Layout> = new Map(
  opSchema.options.map((option) => {
    const shape = option.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    const t = (option.shape.t as unknown as { value: string }).value;
    const keys = Object.keys(shape)
      .filter((k) => k !== "t")
      .sort();
    return [t, { t, keys, optional: keys.map((k) => shape[k]!.safeParse(undefined).success), schema: option, fast: fastCheckOf(option, keys) }];
  }),
);

export function encodeOp(w: ByteWriter, op: Op): void {
  const layout = LAYOUTS.get(op.t);
  if (!layout) throw new ChangeEncodeError(`unknown op type ${String(op.t)}`);
  w.string(layout.t);
  const record = op as unknown as Record<string, unknown>;
  for (let i = 0; i < layout.keys.length; i++) {
    const v = record[layout.keys[i]!];
    if (v === undefined) {
      if (!layout.optional[i]) throw new ChangeEncodeError(`op ${layout.t} needs ${layout.keys[i]}`);
      w.u8(T_ABSENT);
    } else {
      encodeValue(w, v, 0);
    }
  }
}

/**
 * Reads op `index` of a change and returns it checked: its bytes must be the
 * canonical encoding (what `encodeOp` would write for the value read — checked
 * while reading, see `readValue`) and the value must pass its op type's zod
 * schema. The result is what that schema outputs: built here when the checks
 * compiled from it (`changeCodecOpCheck`) vouch for every value, else zod's
 * own parse, which also words the refusal. Throws `ByteReadError`.
 */
export function decodeOp(r: ByteReader, index: number): Op {
  const t = readString(r, true);
  const layout = LAYOUTS.get(t);
  if (!layout) throw new ByteReadError(`unknown op type ${JSON.stringify(t.slice(0, 32))}`);
  const keys = layout.keys;
  const values = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) values[i] = readValue(r, 0, true);
  const fast = layout.fast;
  if (fast !== null && passes(fast, values)) {
    // What zod would output: a new object, its keys in the schema's order.
    const out: Record<string, unknown> = {};
    for (let j = 0; j < fast.keys.length; j++) out[fast.keys[j]!] = fast.at[j]! < 0 ? t : values[fast.at[j]!];
    return out as Op;
  }
  const op: Record<string, unknown> = { t };
  for (let i = 0; i < keys.length; i++) if (values[i] !== undefined) op[keys[i]!] = values[i];
  const parsed = layout.schema.safeParse(op);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ByteReadError(`invalid change: ops.${index}${issue ? `.${issue.path.join(".")}: ${issue.message}` : ": shape"}`);
  }
  return parsed.data as Op;
}

function encodeValue(w: ByteWriter, v: unknown, depth: number): void {
  switch (typeof v) {
    case "boolean":
      w.u8(v ? T_TRUE : T_FALSE);
      return;
    case "number":
      if (!Number.isSafeInteger(v)) throw new ChangeEncodeError(`only safe integers are encodable, not ${v}`);
      if (v >= 0) {
        w.u8(T_UINT);
        w.uvarint(v); // -0 is 0
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
        if (LONE_SURROGATE.test(v)) throw new ChangeEncodeError("a string with a lone surrogate is not encodable as UTF-8");
        w.u8(T_STRING);
        w.string(v);
      }
      return;
    case "object":
      if (v === null) {
        w.u8(T_NULL);
        return;
      }
      if (depth >= MAX_NESTING) throw new ChangeEncodeError("op values nest too deep");
      if (Array.isArray(v)) {
        w.u8(T_ARRAY);
        w.uvarint(v.length);
        for (const item of v) {
          if (item === undefined) throw new ChangeEncodeError("undefined inside an array");
          encodeValue(w, item, depth + 1);
        }
        return;
      }
      encodeMap(w, v, depth);
      return;
    default:
      throw new ChangeEncodeError(`a ${typeof v} is not encodable`);
  }
}

function encodeMap(w: ByteWriter, v: object, depth: number): void {
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new ChangeEncodeError("only plain objects are encodable");
  const record = v as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  w.u8(T_MAP);
  w.uvarint(keys.length);
  for (const k of keys) {
    if (LONE_SURROGATE.test(k)) throw new ChangeEncodeError("a key with a lone surrogate is not encodable as UTF-8");
    w.string(k);
    encodeValue(w, record[k], depth + 1);
  }
}

function passes(fast: NonNullable<Layout["fast"]>, values: readonly unknown[]): boolean {
  for (let j = 0; j < fast.checks.length; j++) {
    const i = fast.at[j]!;
    if (i >= 0 && !fast.checks[j]!(values[i])) return false;
  }
  return true;
}

/**
 * Reads one value and refuses any encoding `encodeValue` would not write for
 * it: a 64-lowercase-hex string sent as tag 6, UTF-8 that does not round-trip
 * (decoding replaced something with U+FFFD), a negative int beyond the safe
 * range, map keys not strictly ascending (JS string order, as `sort()` writes
 * them; this also refuses duplicates). Varints are canonical by `ByteReader`.
 * An absent value (tag 0) is returned as `undefined` only where
 * `absentAllowed` (an op's own keys; the op schema decides if it may be).
 */
function readValue(r: ByteReader, depth: number, absentAllowed: boolean): unknown {
  const tag = r.u8();
  switch (tag) {
    case T_ABSENT:
      if (!absentAllowed) throw new ByteReadError("absent inside a value");
      return undefined;
    case T_NULL:
      return null;
    case T_FALSE:
      return false;
    case T_TRUE:
      return true;
    case T_UINT:
      return r.uvarint();
    case T_NEGINT: {
      const v = -r.uvarint() - 1;
      if (!Number.isSafeInteger(v)) throw new ByteReadError(`only safe integers are encodable, not ${v}`);
      return v;
    }
    case T_STRING:
      return readString(r, false);
    case T_HEX32:
      return r.hex32();
    case T_ARRAY: {
      if (depth >= MAX_NESTING) throw new ByteReadError("op values nest too deep");
      const n = r.count(Number.MAX_SAFE_INTEGER, 1, "array items");
      const out: unknown[] = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = readValue(r, depth + 1, false);
      return out;
    }
    case T_MAP: {
      if (depth >= MAX_NESTING) throw new ByteReadError("op values nest too deep");
      const n = r.count(Number.MAX_SAFE_INTEGER, 2, "map entries");
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      let prev: string | null = null;
      for (let i = 0; i < n; i++) {
        const k = readString(r, true);
        if (prev !== null && !(prev < k)) throw new ByteReadError("body is not the canonical encoding");
        prev = k;
        out[k] = readValue(r, depth + 1, false);
      }
      return { ...out };
    }
    default:
      throw new ByteReadError(`unknown value tag ${tag}`);
  }
}

/**
 * uvarint length ‖ UTF-8, refused unless it is how `ByteWriter.string` writes
 * the decoded string: ASCII always is; otherwise the decoded string is
 * re-encoded and compared (invalid UTF-8 decodes to U+FFFD, which does not
 * round-trip). Unless `hexAllowed`, a 64-lowercase-hex string is refused too
 * (a value's canonical form for it is tag 7, 32 raw bytes).
 */
function readString(r: ByteReader, hexAllowed: boolean): string {
  const len = r.uvarint();
  const start = r.pos;
  if (len > r.end - start) throw new ByteReadError("string runs past the end");
  const end = start + len;
  const buf = r.buf;
  r.pos = end;
  if (len <= SHORT_STRING) {
    // Short ASCII (every id, name, stage and rank of a typical op): built here,
    // cheaper than a call into the native decoder.
    let s = "";
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return nonAscii(buf, start, end);
      s += String.fromCharCode(c);
    }
    return s; // (too short to be 64 hex chars)
  }
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return nonAscii(buf, start, end);
  const s = buf.toString("latin1", start, end);
  if (len === 64 && !hexAllowed && HEX64.test(s)) throw new ByteReadError("body is not the canonical encoding");
  return s;
}

/** A string with non-ASCII bytes: kept only if it re-encodes to the same bytes (never 64-hex: that is ASCII). */
function nonAscii(buf: Buffer, start: number, end: number): string {
  const s = buf.toString("utf8", start, end);
  const again = Buffer.from(s, "utf8");
  if (again.length !== end - start || buf.compare(again, 0, again.length, start, end) !== 0) {
    throw new ByteReadError("body is not the canonical encoding");
  }
  return s;
}

