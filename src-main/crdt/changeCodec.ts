/**
 * The exact wire encoding of a signed change, and the only way untrusted
 * bytes become a `SignedChange`.
 *
 * Bytes: `0x01` (format version) ‖ signature (64 bytes) ‖ body, where body is
 * the UTF-8 canonical JSON of the change (`canonicalJson`). The id is
 * SHA-256(body) in lowercase hex; the signature covers the 32 raw id bytes.
 * The id is never sent: it is recomputed from the body, so content and id
 * cannot disagree.
 *
 * Invariants:
 * - decoding accepts only the canonical body (re-encoding must give the same
 *   bytes): one change has exactly one encoding and therefore one id, so a
 *   re-encoded copy can never be applied twice as a "different" change;
 * - `decodeChange` never throws: it returns `{ ok: false, reason }`;
 * - the signature is *not* checked here (that needs a verifier instance).
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonicalJson";
import { changeSchema, type Change, type SignedChange } from "./Change";
import type { Signer } from "./Identity";

export const WIRE_VERSION = 0x01;
/**
 * One change must fit one sync frame (1 MiB, with room for the envelope):
 * a larger one could never be sent, and its dependents would wait forever.
 */
export const MAX_CHANGE_BYTES = 1024 * 1024 - 16 * 1024;

export type DecodeResult = { ok: true; value: SignedChange } | { ok: false; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

export function changeIdOf(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

/** Canonical body bytes of a change (throws on values canonical JSON refuses). */
export function changeBody(change: Change): Uint8Array {
  return utf8Encoder.encode(canonicalJson(change));
}

/** Builds and signs a change; the result's bytes are what travels. */
export function signChange(change: Change, signer: Signer): SignedChange {
  if (change.author !== signer.publicKey) throw new Error("a change is signed by its author");
  const body = changeBody(change);
  const id = changeIdOf(body);
  const sig = signer.sign(Buffer.from(id, "hex"));
  const bytes = new Uint8Array(1 + 64 + body.length);
  bytes[0] = WIRE_VERSION;
  bytes.set(sig, 1);
  bytes.set(body, 65);
  return { id, sig, change, bytes };
}

export function encodeChange(signed: SignedChange): Uint8Array {
  return signed.bytes;
}

export function decodeChange(bytes: Uint8Array): DecodeResult {
  if (bytes.length > MAX_CHANGE_BYTES) return { ok: false, reason: "change too large" };
  if (bytes.length < 1 + 64 + 2) return { ok: false, reason: "change too short" };
  if (bytes[0] !== WIRE_VERSION) return { ok: false, reason: `unsupported change format ${bytes[0]}` };
  const body = bytes.subarray(65);
  let text: string;
  let json: unknown;
  try {
    text = utf8.decode(body);
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: "body is not UTF-8 JSON" };
  }
  const parsed = changeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `invalid change: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "shape"}` };
  }
  // Parsing then re-encoding must reproduce the body exactly (sorted keys, no
  // whitespace, no unknown keys, no duplicate keys, no alternative escapes).
  if (canonicalJson(parsed.data) !== text) return { ok: false, reason: "body is not canonical JSON" };
  const copy = Uint8Array.from(bytes);
  return { ok: true, value: { id: changeIdOf(body), sig: copy.subarray(1, 65), change: parsed.data, bytes: copy } };
}
