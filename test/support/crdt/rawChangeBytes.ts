/**
 * Format-2 change bytes for the decoder's differential test
 * (`src-main/crdt/changeCodec.differential.test.ts`): a raw body writer that
 * writes whatever it is given, canonical or not (the production encoder
 * refuses non-canonical forms), and byte-level mutations of its output.
 * Nothing here is used by production code.
 */
import { ByteReader } from "../../../src-main/crdt/ByteReader";
import { opSchema } from "../../../src-main/crdt/Change";

/** Each op type's positional keys (the shape's keys but `t`, sorted), as the codec derives them. */
export const LAYOUT_KEYS = new Map(
  opSchema.options.map((o) => [(o.shape.t as unknown as { value: string }).value, Object.keys(o.shape).filter((k) => k !== "t").sort()] as const),
);

export type Val = null | boolean | number | string | undefined | readonly Val[] | { readonly [k: string]: Val };

export interface Noise {
  /** Write 64-hex strings as tag 6 (the canonical form is tag 7). */
  hexAsString: boolean;
  /** Write map keys in reverse order. */
  reverseKeys: boolean;
  /** The index of the varint to write overlong (-1: none). */
  overlongAt: number;
}
export const HONEST: Noise = { hexAsString: false, reverseKeys: false, overlongAt: -1 };

/** A format-2 body writer that writes what it is given, canonical or not (the production encoder refuses to). */
export class RawBody {
  readonly out: number[] = [];
  private varints = 0;
  constructor(private readonly noise: Noise) {}

  uvarint(n: number): void {
    const overlong = this.varints++ === this.noise.overlongAt;
    while (n >= 0x80) {
      this.out.push((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    if (overlong) this.out.push(n | 0x80, 0);
    else this.out.push(n);
  }
  raw(bytes: Uint8Array): void {
    for (const b of bytes) this.out.push(b);
  }
  string(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.uvarint(bytes.length);
    this.raw(bytes);
  }
  value(v: Val): void {
    if (v === undefined) this.out.push(0);
    else if (v === null) this.out.push(1);
    else if (typeof v === "boolean") this.out.push(v ? 3 : 2);
    else if (typeof v === "number") {
      this.out.push(v >= 0 ? 4 : 5);
      this.uvarint(v >= 0 ? v : -v - 1);
    } else if (typeof v === "string") {
      if (/^[0-9a-f]{64}$/.test(v) && !this.noise.hexAsString) {
        this.out.push(7);
        this.raw(Buffer.from(v, "hex"));
      } else {
        this.out.push(6);
        this.string(v);
      }
    } else if (Array.isArray(v)) {
      this.out.push(8);
      this.uvarint(v.length);
      for (const item of v as readonly Val[]) this.value(item);
    } else {
      const record = v as { readonly [k: string]: Val };
      const keys = Object.keys(record).sort();
      if (this.noise.reverseKeys) keys.reverse();
      this.out.push(9);
      this.uvarint(keys.length);
      for (const k of keys) {
        this.string(k);
        this.value(record[k]);
      }
    }
  }
}

export interface RawChange {
  author: string;
  seq: number;
  deps: string[];
  wall: number;
  logical: number;
  ops: Record<string, Val>[];
  noise: Noise;
}

/** `0x02 ‖ sig ‖ body` (the signature is never checked by decoding: zeros do). */
export function bytesOf(c: RawChange): Uint8Array {
  const w = new RawBody(c.noise);
  w.raw(Buffer.from(c.author, "hex"));
  w.uvarint(c.seq);
  w.uvarint(c.deps.length);
  for (const d of c.deps) w.raw(Buffer.from(d, "hex"));
  w.uvarint(c.wall);
  w.uvarint(c.logical);
  w.uvarint(c.ops.length);
  for (const op of c.ops) {
    w.string(String(op.t));
    for (const k of LAYOUT_KEYS.get(String(op.t)) ?? []) w.value(op[k]);
  }
  return Uint8Array.from([2, ...new Uint8Array(64), ...w.out]);
}

/** The byte spans of the header varints (seq, nDeps, wall, logical, nOps) and of the deps, if the header parses. */
export function headerSpans(bytes: Uint8Array): { varints: [number, number][]; deps: number[] } | null {
  try {
    const r = new ByteReader(bytes, 65 + 32);
    const varints: [number, number][] = [];
    const deps: number[] = [];
    const span = (): number => {
      const s = r.pos;
      const v = r.uvarint();
      varints.push([s, r.pos]);
      return v;
    };
    span();
    const n = span();
    for (let i = 0; i < n; i++) {
      deps.push(r.pos);
      r.skip(32);
    }
    span();
    span();
    span();
    return { varints, deps };
  } catch {
    return null;
  }
}

export type Mutation =
  | { kind: "flip"; at: number; x: number }
  | { kind: "set"; at: number; x: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; n: number }
  | { kind: "trailing"; bytes: Uint8Array }
  | { kind: "overlong"; which: number }
  | { kind: "swapDeps" }
  | { kind: "dupDep" };

/** `bytes` with one mutation (positions wrap; a mutation that does not apply returns the bytes unchanged). */
export function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const b = Array.from(bytes);
  const pos = (at: number): number => 65 + (at % (b.length - 65));
  switch (m.kind) {
    case "flip":
      b[pos(m.at)]! ^= m.x;
      break;
    case "set":
      b[pos(m.at)] = m.x;
      break;
    case "truncate":
      b.length = m.at % b.length;
      break;
    case "insert":
      b.splice(pos(m.at), 0, ...m.bytes);
      break;
    case "delete":
      b.splice(pos(m.at), m.n);
      break;
    case "trailing":
      b.push(...m.bytes);
      break;
    case "overlong": {
      const spans = headerSpans(bytes);
      const span = spans?.varints[m.which];
      if (span) b.splice(span[1] - 1, 1, b[span[1] - 1]! | 0x80, 0);
      break;
    }
    case "swapDeps":
    case "dupDep": {
      const deps = headerSpans(bytes)?.deps ?? [];
      if (deps.length < 2) break;
      const [x, y] = [deps[0]!, deps[1]!];
      const first = b.slice(x, x + 32);
      if (m.kind === "swapDeps") b.splice(x, 32, ...b.slice(y, y + 32));
      b.splice(y, 32, ...first);
      break;
    }
  }
  return Uint8Array.from(b);
}
