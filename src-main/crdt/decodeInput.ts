/**
 * What a replica receives, decoded: wire bytes as they are, or a
 * `SignedChange` handed over as an object (tests, imports), whose id and
 * bytes are recomputed in the format its bytes say (format 1 history stays
 * format 1) and never trusted.
 */
import type { SignedChange } from "./Change";
import type { Decoded } from "./batchAuth";
import { assemble, decodeChange, encodeBody, FORMAT_V1, FORMAT_V2 } from "./changeCodec";

export const decodeInput = (input: Uint8Array | SignedChange, workspace: string): Decoded =>
  input instanceof Uint8Array ? decodeChange(input, workspace) : fromObject(input, workspace);

function fromObject(input: SignedChange, workspace: string): { ok: true; value: SignedChange } | { ok: false; reason: string } {
  let format: typeof FORMAT_V1 | typeof FORMAT_V2;
  let encoded: { body: Uint8Array; id: string };
  try {
    format = input.bytes[0] === FORMAT_V1 ? FORMAT_V1 : FORMAT_V2;
    encoded = encodeBody(input.change, format);
  } catch {
    return { ok: false, reason: "change is not encodable" };
  }
  if (encoded.id !== input.id) return { ok: false, reason: "hash mismatch" };
  if (input.sig.length !== 64) return { ok: false, reason: "bad signature length" };
  return decodeChange(assemble(format, input.sig, encoded.body), workspace); // re-validates the shape with zod
}
