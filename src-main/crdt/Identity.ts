/**
 * A node's signing identity: an Ed25519 key pair made from a 32-byte seed.
 * The seed is the only secret; the node persists it and rebuilds the
 * identity with `identityFromSeed`. Signing uses node:crypto (OpenSSL), which
 * produces the RFC 8032 deterministic signature, identical to @noble/ed25519.
 *
 * Invariants: `publicKey` is 64 lowercase hex chars (the raw 32-byte key);
 * `sign` is deterministic; the seed never leaves this object except through
 * `seed` (which the node needs to persist it).
 */
import { createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, type KeyObject } from "node:crypto";

/** DER prefix of a PKCS#8 Ed25519 private key; the raw 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface Signer {
  /** Raw 32-byte Ed25519 public key, lowercase hex. */
  readonly publicKey: string;
  sign(message: Uint8Array): Uint8Array;
}

export interface Identity extends Signer {
  readonly seed: Uint8Array;
}

export function identityFromSeed(seed: Uint8Array): Identity {
  if (seed.length !== 32) throw new RangeError("an Ed25519 seed is 32 bytes");
  const ownSeed = Uint8Array.from(seed);
  const privateKey: KeyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, ownSeed]),
    format: "der",
    type: "pkcs8",
  });
  // The SPKI DER of an Ed25519 key is a 12-byte prefix followed by the raw key.
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  const publicKey = Buffer.from(spki.subarray(12)).toString("hex");
  return {
    publicKey,
    seed: ownSeed,
    sign: (message) => new Uint8Array(nodeSign(null, message, privateKey)),
  };
}

export function generateIdentity(): Identity {
  return identityFromSeed(new Uint8Array(randomBytes(32)));
}
