/**
 * Ed25519 signature verification with one pinned rule, so every replica
 * accepts exactly the same signatures (validity must be deterministic).
 *
 * The rule (RFC 8032 §5.1.7, strict, cofactorless):
 * 1. signature is 64 bytes, key 32 bytes;
 * 2. S (second half, little-endian) < L — rejects malleable S >= L;
 * 3. A is a canonical encoding (y < p; the x = 0 points have sign bit 0) —
 *    non-canonical R encodings are rejected by step 6's byte comparison;
 * 4. A is not of small order (one of the 8 torsion points) — such keys let
 *    one signature verify for many messages;
 * 5. R is not of small order (it cannot occur for an honest signer);
 * 6. encode([S]B - [k]A) == R byte-for-byte, k = SHA-512(R || A || M) mod L
 *    (the cofactorless equation, which is what OpenSSL implements).
 *
 * OpenSSL (node:crypto) implements 2 and 6 but accepts small-order A and R
 * and does not check A canonical in every version, so 3–5 run here as cheap
 * byte comparisons in front of it. @noble/ed25519 with `zip215: false`
 * agrees on 1–4 but uses the *cofactored* equation, so it accepts a signature
 * whose R carries a torsion component where the pinned rule rejects it (see
 * the vectors in Ed25519Verifier.test.ts) — and it is ~4x slower — so the
 * native path is the implementation of record.
 *
 * Invariants: no module-level mutable state; the per-instance key cache is
 * bounded; `verify` never throws on malformed input (returns false).
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from "node:crypto";

const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const L_LE = Uint8Array.from(Buffer.from("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", "hex"));

/**
 * y coordinates (little-endian, sign bit cleared) of the small-order points:
 * 0, 1, p-1 and the two order-8 values. With step 3 rejecting y >= p these
 * five cover every encoding of the 8 torsion points (libsodium's list).
 */
const SMALL_ORDER_Y = [
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
].map((h) => Uint8Array.from(Buffer.from(h, "hex")));

const MAX_CACHED_KEYS = 4096;

/** True when the 32-byte little-endian integer `s` is < L. */
export function isCanonicalScalar(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const a = s[i]!;
    const b = L_LE[i]!;
    if (a !== b) return a < b;
  }
  return false; // equal to L
}

/** True when the point encoding has y < p = 2^255 - 19. */
export function isCanonicalY(p: Uint8Array): boolean {
  if ((p[31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (p[i] !== 0xff) return true;
  return p[0]! < 0xed;
}

/** True when the encoding is one of the small-order points (any sign bit). */
export function isSmallOrderEncoding(p: Uint8Array): boolean {
  outer: for (const y of SMALL_ORDER_Y) {
    for (let i = 0; i < 31; i++) if (p[i] !== y[i]) continue outer;
    if ((p[31]! & 0x7f) === y[31]) return true;
  }
  return false;
}

/** Steps 1–5 of the pinned rule: the checks native OpenSSL does not make. */
export function passesPrechecks(signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  if (!isCanonicalScalar(signature.subarray(32, 64))) return false;
  if (!isCanonicalY(publicKey) || isSmallOrderEncoding(publicKey)) return false;
  // x = 0 with the sign bit set is non-canonical; x = 0 only happens for y = ±1,
  // both small order, so the small-order check above already rejects it.
  if (isSmallOrderEncoding(signature.subarray(0, 32))) return false;
  return true;
}

export class Ed25519Verifier {
  private readonly keys = new Map<string, KeyObject | null>();

  /** Verifies under the pinned rule; `publicKeyHex` is the raw 32-byte key in hex. */
  verify(signature: Uint8Array, message: Uint8Array, publicKeyHex: string): boolean {
    const key = this.keyObject(publicKeyHex);
    if (key === null) return false;
    if (signature.length !== 64 || !isCanonicalScalar(signature.subarray(32, 64))) return false;
    if (isSmallOrderEncoding(signature.subarray(0, 32))) return false;
    try {
      return nodeVerify(null, message, key, signature);
    } catch {
      return false; // OpenSSL throws on some malformed points: that is a "no".
    }
  }

  /** The KeyObject for a key that passes the key checks, or null; cached per key. */
  private keyObject(publicKeyHex: string): KeyObject | null {
    const cached = this.keys.get(publicKeyHex);
    if (cached !== undefined) return cached;
    let result: KeyObject | null = null;
    if (/^[0-9a-f]{64}$/.test(publicKeyHex)) {
      const raw = Uint8Array.from(Buffer.from(publicKeyHex, "hex"));
      if (isCanonicalY(raw) && !isSmallOrderEncoding(raw)) {
        try {
          result = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });
        } catch {
          result = null; // not a point on the curve
        }
      }
    }
    if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
    this.keys.set(publicKeyHex, result);
    return result;
  }
}
