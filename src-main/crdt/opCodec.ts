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
 * tag 7, integers are never floats, keys are sorted); the codec itself does
 * not enforce uniqueness on decode — `changeCodecV2` re-encodes what it
 * decoded and compares bytes. Non-integer numbers, lone surrogates,
 * undefined inside arrays and non-plain objects are unencodable
 * (`ChangeEncodeError`). Decoding bounds every count by the bytes left and
 * nesting by `MAX_NESTING`, and throws `ByteReadError`.
 */
import { ByteReadError, type ByteReader } from "./ByteReader";
import type { ByteWriter } from "./ByteWriter";
import { opSchema, type Op } from "./Change";

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
const LONE_SURROGATE = /\p{Cs}/u;

interface Layout {
  readonly t: string;
  readonly keys: readonly string[];
  readonly optional: readonly boolean[];
}

/** The op layouts by `t`, read once from the schema (immutable after load). */
const LAYOUTS: ReadonlyMap<string, Layout> = new Map(
  opSchema.options.map((option) => {
    const shape = option.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    const t = (option.shape.t as unknown as { value: string }).value;
    const keys = Object.keys(shape)
      .filter((k) => k !== "t")
      .sort();
    return [t, { t, keys, optional: keys.map((k) => shape[k]!.safeParse(undefined).success) }];
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

/** Reads one op as a plain object (its shape is checked by the caller's zod parse). */
export function decodeOp(r: ByteReader): Record<string, unknown> {
  const t = r.string();
  const layout = LAYOUTS.get(t);
  if (!layout) throw new ByteReadError(`unknown op type ${JSON.stringify(t.slice(0, 32))}`);
  const op: Record<string, unknown> = { t };
  for (const key of layout.keys) {
    const v = decodeValue(r, 0, true);
    if (v !== undefined) op[key] = v;
  }
  return op;
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

function decodeValue(r: ByteReader, depth: number, absentAllowed: boolean): unknown {
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
    case T_NEGINT:
      return -r.uvarint() - 1;
    case T_STRING:
      return r.string();
    case T_HEX32:
      return r.hex32();
    case T_ARRAY: {
      if (depth >= MAX_NESTING) throw new ByteReadError("op values nest too deep");
      const n = r.count(Number.MAX_SAFE_INTEGER, 1, "array items");
      const out: unknown[] = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = decodeValue(r, depth + 1, false);
      return out;
    }
    case T_MAP: {
      if (depth >= MAX_NESTING) throw new ByteReadError("op values nest too deep");
      const n = r.count(Number.MAX_SAFE_INTEGER, 2, "map entries");
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (let i = 0; i < n; i++) {
        const k = r.string();
        out[k] = decodeValue(r, depth + 1, false);
      }
      return { ...out };
    }
    default:
      throw new ByteReadError(`unknown value tag ${tag}`);
  }
}
