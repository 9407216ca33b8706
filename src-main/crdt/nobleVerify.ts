/**
 * @noble/ed25519 verification with its strict (RFC 8032, `zip215: false`)
 * branch — the reference the native verifier is compared against in tests
 * and the benchmark. Not used to decide validity (see Ed25519Verifier).
 *
 * noble's synchronous API needs a SHA-512 function installed on the library
 * object; installing @noble/hashes' one is idempotent configuration, not
 * state that differs between replicas.
 */
import * as ed from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";

ed.hashes.sha512 = sha512;

export function nobleVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

export { ed as noble };
