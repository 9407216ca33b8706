/**
 * How a change's signed bytes are kept in `changes.bytes` (v5): a format-2
 * change without the 32-byte author key it carries (the row's `author` idx
 * names it), and without a separate deps column (its deps sit in the bytes
 * at a fixed offset). The replica always gets the exact original bytes back.
 *
 * Stored forms, told apart by the leading byte:
 * - 0x82 = format 2, author cut: 0x82 ‖ sig(64) ‖ uvarint seq ‖ uvarint
 *   nDeps ‖ dep(32) × nDeps ‖ … (the original is 0x02 ‖ sig ‖ author(32) ‖
 *   the rest); `changes.deps` is NULL for such a row;
 * - anything else (format 1, or a format-2 change whose author is not a
 *   64-hex key, which the codec refuses anyway): the bytes as they are, with
 *   the deps column kept.
 *
 * Invariants: restore(cut(b, author), author) = b byte for byte; `cut` only
 * cuts when the author bytes in `b` equal `author` (else it stores as is);
 * reading a damaged row throws rather than returning other bytes.
 */
import { idColumn, type IdValue } from "./idColumn";

const FORMAT_V2 = 0x02;
const CUT_V2 = 0x82;
const SIG_END = 65; // format byte + 64-byte signature
const KEY_BYTES = 32;
const AUTHOR_END = SIG_END + KEY_BYTES;

/** The author as 32 raw bytes, or undefined if it is not a 64-hex key. */
function rawKey(author: IdValue | string): Buffer | undefined {
  if (typeof author !== "string") return author.length === KEY_BYTES ? author : undefined;
  const encoded = idColumn.encode(author);
  return typeof encoded === "string" ? undefined : encoded;
}

/** Whether a format-2 change's author key (at its fixed offset) is `key`. */
function carriesKey(bytes: Uint8Array, key: Buffer): boolean {
  for (let i = 0; i < KEY_BYTES; i++) if (bytes[SIG_END + i] !== key[i]) return false;
  return true;
}

export const bytesColumn = {
  /** What to store for `bytes` signed by `author` (hex string or its column value); `cut` says the deps column is not needed. */
  cut(bytes: Uint8Array, author: IdValue | string): { stored: Buffer; cut: boolean } {
    // Runs for every stored change: the key compared in place, the parts copied by `set` (measured
    // ~2× faster than a subarray, `equals` and two `copy` calls, each a native call).
    const key = rawKey(author);
    if (bytes[0] !== FORMAT_V2 || key === undefined || bytes.length < AUTHOR_END || !carriesKey(bytes, key)) {
      return { stored: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), cut: false };
    }
    const stored = Buffer.allocUnsafe(bytes.length - KEY_BYTES);
    stored.set(bytes.subarray(0, SIG_END), 0);
    stored[0] = CUT_V2;
    stored.set(bytes.subarray(AUTHOR_END), SIG_END);
    return { stored, cut: true };
  },

  isCut(stored: Uint8Array): boolean {
    return stored[0] === CUT_V2;
  },

  /** The exact signed bytes; `author` is the row's author key (hex string or the authors table's raw value). */
  restore(stored: Buffer, author: IdValue | string): Buffer {
    if (stored[0] !== CUT_V2) return stored;
    const key = rawKey(author);
    if (key === undefined || stored.length < SIG_END) throw new Error("a cut format-2 row has no 32-byte author key to restore");
    const out = Buffer.allocUnsafe(stored.length + KEY_BYTES);
    out[0] = FORMAT_V2;
    stored.copy(out, 1, 1, SIG_END);
    key.copy(out, SIG_END);
    stored.copy(out, AUTHOR_END, SIG_END);
    return out;
  },

  /** The deps of a cut row, read from its bytes (seq, nDeps, then 32 bytes each). */
  deps(stored: Buffer): string[] {
    let at = SIG_END;
    at = skipUvarint(stored, at);
    let n = 0;
    let scale = 1;
    for (;;) {
      if (at >= stored.length) throw new Error("a cut format-2 row ends inside its deps count");
      const b = stored[at++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
      if (scale > 2 ** 28) throw new Error("a cut format-2 row has an oversized deps count");
    }
    if (at + n * KEY_BYTES > stored.length) throw new Error("a cut format-2 row ends inside its deps");
    const deps = new Array<string>(n);
    for (let i = 0; i < n; i++, at += KEY_BYTES) deps[i] = stored.toString("hex", at, at + KEY_BYTES);
    return deps;
  },
};

function skipUvarint(buf: Buffer, at: number): number {
  for (let i = 0; i < 8; i++) {
    if (at >= buf.length) throw new Error("a cut format-2 row ends inside its seq");
    if (buf[at++]! < 0x80) return at;
  }
  throw new Error("a cut format-2 row has an oversized seq");
}
