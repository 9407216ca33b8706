/**
 * Change format 2 and the envelope-3 changes frame, written from
 * docs/PROTOCOL.md alone for the protocol peer (it imports nothing from
 * `src-main`): where this and the node disagree, one of them breaks the
 * documented protocol. Encoding takes any op object (its keys other than
 * `t`, sorted — the layout of every op whose fields are all present);
 * decoding uses the layouts table of PROTOCOL.md §Change format 2.
 */
import { createHash } from "node:crypto";

/** PROTOCOL.md §Change format 2, "Op layouts". */
export const OP_LAYOUTS: Readonly<Record<string, readonly string[]>> = {
  create: ["agent", "name", "rank", "stage", "story"],
  name: ["story", "value"],
  agent: ["story", "value"],
  blocked: ["story", "value"],
  place: ["rank", "stage", "story"],
  count: ["delta", "story"],
  deps: ["add", "remove", "story"],
  claim: ["by", "story"],
  release: ["story"],
  hide: ["story"],
  unhide: ["story"],
  delete: ["story"],
  desc: ["story", "value"],
  undelete: ["story"],
  limit: ["limit", "stage"],
  session: ["createdAt", "session", "storyId", "title"],
  msg: ["content", "id", "occ", "role", "sender", "session", "ts"],
  cell: ["content", "messages", "session", "summary", "title"],
  segmenter: ["session"],
  cellHide: ["cell"],
  cellUnhide: ["cell"],
  genesis: ["name", "nonce"],
  member: ["key", "name", "role"],
  role: ["key", "role"],
  remove: ["key"],
  invite: ["expires", "key", "name", "role"],
  join: ["invite", "proof"],
};

export function uvarint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

function str(s: string): Buffer {
  const b = Buffer.from(s, "utf8");
  return Buffer.concat([uvarint(b.length), b]);
}

function value(v: unknown): Buffer {
  if (v === null) return Buffer.from([1]);
  if (v === false) return Buffer.from([2]);
  if (v === true) return Buffer.from([3]);
  if (typeof v === "number") return v >= 0 ? Buffer.concat([Buffer.from([4]), uvarint(v)]) : Buffer.concat([Buffer.from([5]), uvarint(-v - 1)]);
  if (typeof v === "string") return /^[0-9a-f]{64}$/.test(v) ? Buffer.concat([Buffer.from([7]), Buffer.from(v, "hex")]) : Buffer.concat([Buffer.from([6]), str(v)]);
  if (Array.isArray(v)) return Buffer.concat([Buffer.from([8]), uvarint(v.length), ...v.map(value)]);
  const record = v as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return Buffer.concat([Buffer.from([9]), uvarint(keys.length), ...keys.flatMap((k) => [str(k), value(record[k])])]);
}

/** The format-2 body of `{ author, seq, deps, clock, ops }` (deps as given: sorting them is the caller's business). */
export function encodeBodyV2(body: Record<string, unknown>): Buffer {
  const deps = body["deps"] as string[];
  const clock = body["clock"] as { wall: number; logical: number };
  const ops = body["ops"] as Record<string, unknown>[];
  return Buffer.concat([
    Buffer.from(String(body["author"]), "hex"),
    uvarint(Number(body["seq"])),
    uvarint(deps.length),
    ...deps.map((d) => Buffer.from(d, "hex")),
    uvarint(clock.wall),
    uvarint(clock.logical),
    uvarint(ops.length),
    ...ops.map((op) =>
      Buffer.concat([
        str(String(op["t"])),
        ...Object.keys(op)
          .filter((k) => k !== "t")
          .sort()
          .map((k) => value(op[k])),
      ]),
    ),
  ]);
}

/** id = SHA-256(0x02 ‖ uvarint(byteLength(workspace)) ‖ workspace ‖ body). */
export function idV2(workspace: string, body: Buffer): Buffer {
  const ws = Buffer.from(workspace, "utf8");
  return createHash("sha256").update(Buffer.concat([Buffer.from([2]), uvarint(ws.length), ws])).update(body).digest();
}

class Cursor {
  at = 0;
  constructor(readonly b: Buffer) {}
  u8(): number {
    return this.b[this.at++]!;
  }
  uv(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const x = this.u8();
      v += (x & 0x7f) * scale;
      if (x < 0x80) return v;
      scale *= 128;
    }
  }
  raw(n: number): Buffer {
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  str(): string {
    return this.raw(this.uv()).toString("utf8");
  }
  value(): unknown {
    const tag = this.u8();
    if (tag === 0) return undefined;
    if (tag <= 3) return tag === 1 ? null : tag === 3;
    if (tag === 4) return this.uv();
    if (tag === 5) return -this.uv() - 1;
    if (tag === 6) return this.str();
    if (tag === 7) return this.raw(32).toString("hex");
    if (tag === 8) return Array.from({ length: this.uv() }, () => this.value());
    const out: Record<string, unknown> = {};
    for (let n = this.uv(); n > 0; n--) out[this.str()] = this.value();
    return out;
  }
}

/** The change object of a format-2 body received from the node (trusting it: the node is the reference here). */
export function decodeBodyV2(body: Buffer, workspace: string): Record<string, unknown> {
  const c = new Cursor(body);
  const author = c.raw(32).toString("hex");
  const seq = c.uv();
  const deps = Array.from({ length: c.uv() }, () => c.raw(32).toString("hex"));
  const clock = { wall: c.uv(), logical: c.uv() };
  const ops = Array.from({ length: c.uv() }, () => {
    const t = c.str();
    const op: Record<string, unknown> = { t };
    for (const k of OP_LAYOUTS[t] ?? []) {
      const v = c.value();
      if (v !== undefined) op[k] = v;
    }
    return op;
  });
  return { v: 2, workspace, author, seq, deps, clock, ops };
}

/** Envelope 3 changes frame: uvarint nAuthors ‖ authors ‖ (uvarint len ‖ entry)…; format-2 entries cite the table. */
export function changesFrame(changes: readonly Buffer[]): Buffer {
  const authors: string[] = [];
  const entries = changes.map((bytes) => {
    if (bytes[0] !== 2) return Buffer.concat([uvarint(bytes.length), bytes]);
    const author = bytes.subarray(65, 97).toString("hex");
    let index = authors.indexOf(author);
    if (index < 0) index = authors.push(author) - 1;
    const entry = Buffer.concat([Buffer.from([2]), uvarint(index), bytes.subarray(1, 65), bytes.subarray(97)]);
    return Buffer.concat([uvarint(entry.length), entry]);
  });
  return Buffer.concat([Buffer.from([3, 2]), uvarint(authors.length), ...authors.map((a) => Buffer.from(a, "hex")), ...entries]);
}

/** The change bytes of a received envelope-3 changes frame (after the 2-byte header). */
export function changesOfFrame(payload: Buffer): Buffer[] {
  const c = new Cursor(payload);
  const authors = Array.from({ length: c.uv() }, () => c.raw(32));
  const out: Buffer[] = [];
  while (c.at < payload.length) {
    const entry = c.raw(c.uv());
    if (entry[0] !== 2) {
      out.push(Buffer.from(entry));
      continue;
    }
    const e = new Cursor(entry);
    e.u8();
    const author = authors[e.uv()]!;
    out.push(Buffer.concat([Buffer.from([2]), e.raw(64), author, entry.subarray(e.at)]));
  }
  return out;
}
