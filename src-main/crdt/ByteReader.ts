/**
 * A bounded cursor over untrusted bytes: the read side of `ByteWriter`.
 *
 * Invariants: every read checks the remaining length first and throws
 * `ByteReadError` (never reads past `end`, never allocates from a claimed
 * length); uvarints must be canonical (no overlong form) and ≤ 2^53 − 1.
 * Callers that must not throw catch `ByteReadError` at their boundary.
 */
export class ByteReadError extends Error {
  override readonly name = "ByteReadError";
}

export class ByteReader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    if (this.pos >= this.end) throw new ByteReadError("truncated");
    return this.buf[this.pos++]!;
  }

  uvarint(): number {
    const buf = this.buf;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw new ByteReadError("truncated varint");
      const b = buf[this.pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (b === 0 && i > 0) throw new ByteReadError("overlong varint");
        if (value > Number.MAX_SAFE_INTEGER) throw new ByteReadError("varint above 2^53-1");
        return value;
      }
      scale *= 128;
    }
    throw new ByteReadError("varint above 2^53-1");
  }

  /** A count of items each at least `minItemBytes` long: bounded by `max` and by the bytes left. */
  count(max: number, minItemBytes: number, what: string): number {
    const n = this.uvarint();
    if (n > max) throw new ByteReadError(`too many ${what} (${n} > ${max})`);
    if (n * minItemBytes > this.remaining) throw new ByteReadError(`${what} run past the end`);
    return n;
  }

  /** 32 raw bytes as 64 lowercase hex chars. */
  hex32(): string {
    if (this.end - this.pos < 32) throw new ByteReadError("truncated 32-byte value");
    const s = this.buf.toString("hex", this.pos, this.pos + 32);
    this.pos += 32;
    return s;
  }

  /**
   * uvarint length ‖ UTF-8. Invalid UTF-8 decodes to U+FFFD, which the
   * codec's re-encode-and-compare then refuses (the bytes differ).
   */
  string(): string {
    const len = this.uvarint();
    if (len > this.end - this.pos) throw new ByteReadError("string runs past the end");
    const s = this.buf.toString("utf8", this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  skip(n: number): void {
    if (n > this.end - this.pos) throw new ByteReadError("truncated");
    this.pos += n;
  }
}
