/**
 * The exact wire encoding of a signed change, and the only way untrusted
 * bytes become a `SignedChange`. Byte 0 is the change format:
 *
 * - format 2 (written from now on, `changeCodecV2`): `0x02 ‖ sig(64) ‖
 *   binary body`; the id is SHA-256 over the format byte, the workspace and
 *   the body, so the workspace is bound without being sent;
 * - format 1 (legacy, accepted forever: old history is signed and cannot be
 *   re-encoded): `0x01 ‖ sig(64) ‖ canonical JSON body`, id = SHA-256(body).
 *   A `v: 1` change can only be written in format 1.
 *
 * The signature covers the 32 raw id bytes. The id is never sent: it is
 * recomputed from the bytes, so content and id cannot disagree.
 *
 * Invariants:
 * - decoding accepts only the canonical body of either format (re-encoding
 *   must give the same bytes): one change has exactly one encoding and
 *   therefore one id, so a re-encoded copy can never be applied twice as a
 *   "different" change;
 * - `decodeChange` never throws: it returns `{ ok: false, reason }`;
 * - the signature is *not* checked here (that needs a verifier instance).
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonicalJson";
import { changeSchema, type Change, type SignedChange } from "./Change";
import { changeIdV2, decodeBodyV2, encodeBodyV2, FORMAT_V2, MIN_V2_BODY } from "./changeCodecV2";
import type { Signer } from "./Identity";

export { ChangeEncodeError } from "./opCodec";

/** The legacy JSON format (format 1). */
export const FORMAT_V1 = 0x01;
export { FORMAT_V2 };
/** The format `signChange` writes for a v2 change. */
export const WIRE_VERSION = FORMAT_V2;
/**
 * One change must fit one sync frame (1 MiB, with room for the envelope):
 * a larger one could never be sent, and its dependents would wait forever.
 */
export const MAX_CHANGE_BYTES = 1024 * 1024 - 16 * 1024;

export type ChangeFormat = typeof FORMAT_V1 | typeof FORMAT_V2;
export type DecodeResult = { ok: true; value: SignedChange } | { ok: false; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/** The id of a format-1 body (SHA-256 of the canonical JSON). */
export function changeIdOf(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

/**
 * The id of a change's wire bytes in `workspace`, either format, without
 * decoding or checking them (hashing only: cheap enough to index a frame).
 */
export function changeIdOfBytes(bytes: Uint8Array, workspace: string): string {
  const body = bytes.subarray(65);
  return bytes[0] === FORMAT_V2 ? changeIdV2(workspace, body) : changeIdOf(body);
}

/** Canonical format-1 (JSON) body bytes of a change (throws on values canonical JSON refuses). */
export function changeBody(change: Change): Uint8Array {
  return utf8Encoder.encode(canonicalJson(change));
}

/** Body and id of a change in a format. */
export function encodeBody(change: Change, format: ChangeFormat): { body: Uint8Array; id: string } {
  if (format === FORMAT_V2) {
    const body = encodeBodyV2(change);
    return { body, id: changeIdV2(change.workspace, body) };
  }
  const body = changeBody(change);
  return { body, id: changeIdOf(body) };
}

/**
 * Builds and signs a change; the result's bytes are what travels. Format 2
 * unless the change is `v: 1` (or format 1 is asked for, e.g. by a test
 * that needs legacy bytes). Throws `ChangeEncodeError` on a value the format
 * cannot carry.
 */
export function signChange(change: Change, signer: Signer, format: ChangeFormat = change.v === 1 ? FORMAT_V1 : FORMAT_V2): SignedChange {
  if (change.author !== signer.publicKey) throw new Error("a change is signed by its author");
  const { body, id } = encodeBody(change, format);
  const sig = signer.sign(Buffer.from(id, "hex"));
  return { id, sig, change, bytes: assemble(format, sig, body) };
}

/** `format ‖ sig ‖ body`. */
export function assemble(format: ChangeFormat, sig: Uint8Array, body: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(65 + body.length);
  bytes[0] = format;
  bytes.set(sig, 1);
  bytes.set(body, 65);
  return bytes;
}

export function encodeChange(signed: SignedChange): Uint8Array {
  return signed.bytes;
}

/**
 * Decodes a change of `workspace`: format 2 takes its workspace from the
 * argument (it is hashed, not sent); format 1 keeps its JSON's own (the
 * replica refuses a mismatch).
 */
export function decodeChange(bytes: Uint8Array, workspace: string): DecodeResult {
  if (bytes.length > MAX_CHANGE_BYTES) return { ok: false, reason: "change too large" };
  if (bytes[0] === FORMAT_V2) return decodeV2(bytes, workspace);
  if (bytes[0] === FORMAT_V1) return decodeV1(bytes);
  return { ok: false, reason: bytes.length === 0 ? "change too short" : `unsupported change format ${bytes[0]}` };
}

function decodeV2(bytes: Uint8Array, workspace: string): DecodeResult {
  if (bytes.length < 65 + MIN_V2_BODY) return { ok: false, reason: "change too short" };
  // Read and hashed in place (nothing read keeps a view of `bytes`; a
  // received frame is a Buffer, so no view is made either); copied only
  // when accepted, into a plain Uint8Array of its own so that the change
  // does not pin the frame. The constructor copies natively,
  // `Uint8Array.from` iterates.
  const body = bytes.subarray(65);
  let change: Change;
  try {
    change = decodeBodyV2(body, workspace);
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : "undecodable body" };
  }
  const id = changeIdV2(workspace, body);
  const copy = new Uint8Array(bytes);
  return { ok: true, value: { id, sig: copy.subarray(1, 65), change, bytes: copy } };
}

function decodeV1(bytes: Uint8Array): DecodeResult {
  if (bytes.length < 1 + 64 + 2) return { ok: false, reason: "change too short" };
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
