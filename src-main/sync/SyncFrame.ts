/**
 * The envelope of every sync frame. All frames are binary WebSocket messages:
 *
 *   byte 0   envelope version (3; v2 nodes send changes in u32-framed entries
 *            and format 1 only, so the versions do not mix)
 *   byte 1   frame type: 0x01 control, 0x02 changes
 *   control  UTF-8 JSON of one SyncMessage
 *   changes  uvarint nAuthors ‖ author(32) × nAuthors
 *            ‖ 1..n × (uvarint length ‖ entry)
 *   entry    0x02 ‖ uvarint author index ‖ sig(64) ‖ format-2 body without its author
 *            | any other change bytes as they are (format 1: 0x01 ‖ sig ‖ JSON)
 *
 * A format-2 change's author is sent once per frame; the decoder rebuilds
 * the exact change bytes (the replica re-hashes and verifies them: nothing
 * in a frame is trusted).
 *
 * Invariants: `decodeSyncFrame` never throws and returns a close code with a
 * reason for anything it refuses (every count, index and length is checked
 * before use); `packChanges` never builds a frame over `maxFrameBytes` (a
 * single change that cannot fit is reported, not sent).
 */
import { ByteReadError, ByteReader } from "../crdt/ByteReader";
import { ByteWriter } from "../crdt/ByteWriter";
import { SyncCloseCode } from "./SyncCloseCode";
import { syncMessageSchema, type SyncMessage } from "./SyncMessage";

export const ENVELOPE_VERSION = 3;
export const FRAME_CONTROL = 0x01;
export const FRAME_CHANGES = 0x02;
const HEADER = 2;
/** Authors one changes frame may list (a frame holds at most a few thousand changes anyway). */
export const MAX_FRAME_AUTHORS = 4096;
/** Smallest pass-through change: format byte + signature + a 2-byte body. */
const MIN_CHANGE = 67;
const FORMAT_V2 = 0x02;
const SIG_END = 65;
const AUTHOR = 32;
/** A format-2 change: format, sig, author, then ≥ 5 one-byte fields. */
const MIN_V2_CHANGE = SIG_END + AUTHOR + 5;

export type SyncFrame =
  | { ok: true; kind: "control"; message: SyncMessage }
  | { ok: true; kind: "changes"; changes: Uint8Array[] }
  | { ok: false; code: number; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });
const uvlen = ByteWriter.uvarintLength;

export function encodeControl(message: SyncMessage): Buffer {
  const json = Buffer.from(JSON.stringify(message), "utf8");
  const out = Buffer.allocUnsafe(HEADER + json.length);
  out[0] = ENVELOPE_VERSION;
  out[1] = FRAME_CONTROL;
  json.copy(out, HEADER);
  return out;
}

/** The author key (hex) a change is compacted under, or null to send it as it is. */
function compactAuthor(c: Uint8Array): string | null {
  if (c[0] !== FORMAT_V2 || c.length < MIN_V2_CHANGE) return null;
  return Buffer.from(c.buffer, c.byteOffset + SIG_END, AUTHOR).toString("hex");
}

/** The bytes one change takes in a frame whose author table gives it index `index` (null: as it is). */
function entrySize(c: Uint8Array, index: number | null): number {
  const len = index === null ? c.length : c.length - AUTHOR + uvlen(index);
  return uvlen(len) + len;
}

class FrameBuilder {
  readonly authors = new Map<string, number>();
  readonly entries: { c: Uint8Array; index: number | null }[] = [];
  entryBytes = 0;

  size(extraAuthors = 0): number {
    const n = this.authors.size + extraAuthors;
    return HEADER + uvlen(n) + n * AUTHOR + this.entryBytes;
  }

  /** The frame's size with `c` added, and the author index it would get. */
  sizeWith(c: Uint8Array, author: string | null): { size: number; index: number | null; fresh: boolean } {
    if (author === null) return { size: this.size() + entrySize(c, null), index: null, fresh: false };
    const known = this.authors.get(author);
    const index = known ?? this.authors.size;
    return { size: this.size(known === undefined ? 1 : 0) + entrySize(c, index), index, fresh: known === undefined };
  }

  add(c: Uint8Array, author: string | null, index: number | null): void {
    if (author !== null && !this.authors.has(author)) this.authors.set(author, this.authors.size);
    this.entries.push({ c, index });
    this.entryBytes += entrySize(c, index);
  }

  build(): Buffer {
    const w = new ByteWriter(this.size());
    w.u8(ENVELOPE_VERSION);
    w.u8(FRAME_CHANGES);
    w.uvarint(this.authors.size);
    for (const author of this.authors.keys()) w.hex32(author);
    for (const { c, index } of this.entries) {
      if (index === null) {
        w.uvarint(c.length);
        w.bytes(c);
        continue;
      }
      w.uvarint(c.length - AUTHOR + uvlen(index));
      w.u8(FORMAT_V2);
      w.uvarint(index);
      w.bytes(c.subarray(1, SIG_END));
      w.bytes(c.subarray(SIG_END + AUTHOR));
    }
    return w.finish();
  }
}

/** Packs changes, in order, into as few frames as fit `maxFrameBytes`. */
export function packChanges(changes: readonly Uint8Array[], maxFrameBytes: number): { frames: Buffer[]; oversize: number } {
  const frames: Buffer[] = [];
  let oversize = 0;
  let frame = new FrameBuilder();
  for (const c of changes) {
    const author = compactAuthor(c);
    // Alone in a frame (a fresh table of at most one author): does it fit at all?
    // (A "format 2" change too short to hold an author is no change: never sent, counted with the oversize.)
    if ((author === null && c[0] === FORMAT_V2) || new FrameBuilder().sizeWith(c, author).size > maxFrameBytes) {
      oversize++;
      continue;
    }
    let next = frame.sizeWith(c, author);
    if (next.size > maxFrameBytes || (next.fresh && frame.authors.size >= MAX_FRAME_AUTHORS)) {
      frames.push(frame.build());
      frame = new FrameBuilder();
      next = frame.sizeWith(c, author);
    }
    frame.add(c, author, next.index);
  }
  if (frame.entries.length > 0) frames.push(frame.build());
  return { frames, oversize };
}

export function decodeSyncFrame(data: Uint8Array): SyncFrame {
  if (data.length < HEADER) return { ok: false, code: SyncCloseCode.badFrame, reason: "frame too short" };
  if (data[0] !== ENVELOPE_VERSION) {
    return {
      ok: false,
      code: SyncCloseCode.unsupportedVersion,
      reason: `unsupported envelope version ${data[0]}: this node speaks sync v${ENVELOPE_VERSION} only; upgrade the older node`,
    };
  }
  const body = data.subarray(HEADER);
  if (data[1] === FRAME_CONTROL) {
    let json: unknown;
    try {
      json = JSON.parse(utf8.decode(body));
    } catch {
      return { ok: false, code: SyncCloseCode.badFrame, reason: "control frame is not UTF-8 JSON" };
    }
    const parsed = syncMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, code: SyncCloseCode.badFrame, reason: `bad control message: ${issue ? `${issue.path.join(".")} ${issue.message}` : "shape"}` };
    }
    return { ok: true, kind: "control", message: parsed.data };
  }
  if (data[1] === FRAME_CHANGES) {
    try {
      return { ok: true, kind: "changes", changes: decodeChanges(body) };
    } catch (err) {
      const reason = err instanceof ByteReadError ? err.message : "undecodable changes frame";
      return { ok: false, code: SyncCloseCode.badFrame, reason: `bad changes frame: ${reason}` };
    }
  }
  return { ok: false, code: SyncCloseCode.badFrame, reason: `unknown frame type ${data[1]}` };
}

/** How many changes a frame built by `packChanges` carries (0 for a control frame or a malformed one). */
export function countChanges(frame: Uint8Array): number {
  if (frame.length < HEADER || frame[1] !== FRAME_CHANGES) return 0;
  try {
    const r = new ByteReader(frame, HEADER);
    r.skip(r.count(MAX_FRAME_AUTHORS, AUTHOR, "authors") * AUTHOR);
    let n = 0;
    for (; r.remaining > 0; n++) r.skip(r.uvarint());
    return n;
  } catch {
    return 0;
  }
}

/**
 * The changes of a changes-frame body, rebuilt: first locate every entry
 * (checking bounds), then copy them into one buffer (one allocation per
 * frame). Throws `ByteReadError`.
 */
function decodeChanges(body: Uint8Array): Uint8Array[] {
  const r = new ByteReader(body);
  const nAuthors = r.count(MAX_FRAME_AUTHORS, AUTHOR, "authors");
  const tableAt = r.pos;
  r.skip(nAuthors * AUTHOR);
  // Per entry: start of the entry, its length, its author index (-1: as it is).
  const spans: number[] = [];
  let total = 0;
  while (r.remaining > 0) {
    const len = r.uvarint();
    if (len > r.remaining) throw new ByteReadError("a change runs past the frame");
    const start = r.pos;
    if (body[start] === FORMAT_V2) {
      r.skip(1);
      const index = r.uvarint();
      if (index >= nAuthors) throw new ByteReadError(`author index ${index} outside the table of ${nAuthors}`);
      const rest = len - (r.pos - start);
      if (rest < MIN_V2_CHANGE - AUTHOR - 1) throw new ByteReadError("format-2 change too short");
      spans.push(r.pos, rest, index);
      total += 1 + AUTHOR + rest;
      r.pos = start + len;
    } else {
      if (len < MIN_CHANGE) throw new ByteReadError("bad change length");
      spans.push(start, len, -1);
      total += len;
      r.skip(len);
    }
  }
  if (spans.length === 0) throw new ByteReadError("no changes");
  const out = Buffer.allocUnsafe(total);
  const changes: Uint8Array[] = [];
  let at = 0;
  for (let i = 0; i < spans.length; i += 3) {
    const from = spans[i]!;
    const len = spans[i + 1]!;
    const index = spans[i + 2]!;
    const begin = at;
    if (index < 0) {
      out.set(body.subarray(from, from + len), at);
      at += len;
    } else {
      // 0x02 ‖ sig ‖ author ‖ rest of the body
      out[at++] = FORMAT_V2;
      out.set(body.subarray(from, from + 64), at);
      at += 64;
      const a = tableAt + index * AUTHOR;
      out.set(body.subarray(a, a + AUTHOR), at);
      at += AUTHOR;
      out.set(body.subarray(from + 64, from + len), at);
      at += len - 64;
    }
    changes.push(out.subarray(begin, at));
  }
  return changes;
}
