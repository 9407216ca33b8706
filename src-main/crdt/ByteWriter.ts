/**
 * A growable byte buffer for the binary change format (`changeCodecV2`) and
 * the sync envelope: raw bytes, canonical unsigned LEB128 varints, UTF-8
 * strings and 64-hex strings as 32 raw bytes.
 *
 * Invariants: a uvarint is written in its shortest form and only for safe
 * integers ≥ 0 (anything else throws `RangeError`: the caller built an
 * unencodable value); `finish()` returns a view of exactly what was written.
 */
export class ByteWriter {
  private buf: Buffer;
  private at = 0;

  constructor(capacity = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, capacity));
  }

  /** Bytes a uvarint of `n` takes (n a safe integer ≥ 0). */
  static uvarintLength(n: number): number {
    let len = 1;
    while (n >= 0x80) {
      n = Math.floor(n / 128);
      len++;
    }
    return len;
  }

  get length(): number {
    return this.at;
  }

  u8(b: number): void {
    this.reserve(1);
    this.buf[this.at++] = b;
  }

  uvarint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a uvarint: ${n}`);
    this.reserve(8);
    const buf = this.buf;
    let at = this.at;
    // Bit operations are 32-bit in JS: divide for the high part.
    while (n >= 0x80) {
      buf[at++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[at++] = n;
    this.at = at;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  /** A 64-lowercase-hex string as its 32 raw bytes (the caller checked the form). */
  hex32(hex: string): void {
    this.reserve(32);
    this.at += this.buf.write(hex, this.at, 32, "hex");
  }

  /** uvarint(UTF-8 length) ‖ UTF-8; the caller refused lone surrogates (they would not round-trip). */
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
