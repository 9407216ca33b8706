/**
 * Change format 2: the binary body of a change (docs/PROTOCOL.md §Change
 * format 2).
 *
 *   bytes = 0x02 ‖ sig(64) ‖ body
 *   body  = author(32) ‖ uvarint seq ‖ uvarint nDeps ‖ dep(32) × nDeps
 *           ‖ uvarint clock.wall ‖ uvarint clock.logical ‖ uvarint nOps ‖ op × nOps
 *   id    = SHA-256(0x02 ‖ uvarint(byteLength(workspace)) ‖ workspace UTF-8 ‖ body)
 *
 * The workspace is not in the bytes but bound by the id (and so by the
 * signature): the same bytes in another workspace are another change whose
 * signature fails. `v` is not encoded: format 2 is always `v: 2`.
 *
 * Invariants: `decodeBodyV2` accepts only the canonical encoding — it parses
 * with zod, re-encodes and compares the bytes, so one change has exactly one
 * encoding and one id; every count is bounded (MAX_DEPS, MAX_OPS_PER_CHANGE,
 * the bytes left) before anything is allocated from it; it throws
 * (`ByteReadError`, `ChangeEncodeError`) and `changeCodec` turns that into a
 * refusal.
 */
import { createHash } from "node:crypto";
import { ByteReadError, ByteReader } from "./ByteReader";
import { ByteWriter } from "./ByteWriter";
import { changeSchema, MAX_DEPS, MAX_OPS_PER_CHANGE, type Change } from "./Change";
import { ChangeEncodeError, decodeOp, encodeOp } from "./opCodec";

export const FORMAT_V2 = 0x02;
/** Format byte + signature: the body starts here. */
export const V2_BODY_OFFSET = 65;
/** author(32) + seq, nDeps, wall, logical, nOps (≥ 1 byte each). */
export const MIN_V2_BODY = 37;

const HEX64 = /^[0-9a-f]{64}$/;

/** The id of a format-2 body in `workspace` (lowercase hex). */
export function changeIdV2(workspace: string, body: Uint8Array): string {
  const w = new ByteWriter(8 + workspace.length * 3);
  w.u8(FORMAT_V2);
  w.string(workspace);
  return createHash("sha256").update(w.finish()).update(body).digest("hex");
}

/** The format-2 body of a change (throws `ChangeEncodeError` on a value the format cannot carry). */
export function encodeBodyV2(change: Change, capacity = 256): Buffer {
  if (change.v !== 2) throw new ChangeEncodeError("format 2 carries v2 changes only");
  if (!HEX64.test(change.author)) throw new ChangeEncodeError("author is not 64 lowercase hex chars");
  const w = new ByteWriter(capacity);
  w.hex32(change.author);
  w.uvarint(change.seq);
  w.uvarint(change.deps.length);
  for (const d of change.deps) {
    if (!HEX64.test(d)) throw new ChangeEncodeError("a dep is not 64 lowercase hex chars");
    w.hex32(d);
  }
  w.uvarint(change.clock.wall);
  w.uvarint(change.clock.logical);
  w.uvarint(change.ops.length);
  for (const op of change.ops) encodeOp(w, op);
  return w.finish();
}

/** Decodes a format-2 body for `workspace`; throws on anything but the canonical encoding of a valid change. */
export function decodeBodyV2(body: Uint8Array, workspace: string): Change {
  const r = new ByteReader(body);
  const author = r.hex32();
  const seq = r.uvarint();
  const nDeps = r.count(MAX_DEPS, 32, "deps");
  const deps = new Array<string>(nDeps);
  for (let i = 0; i < nDeps; i++) deps[i] = r.hex32();
  const wall = r.uvarint();
  const logical = r.uvarint();
  const nOps = r.count(MAX_OPS_PER_CHANGE, 1, "ops");
  const ops = new Array<unknown>(nOps);
  for (let i = 0; i < nOps; i++) ops[i] = decodeOp(r);
  if (r.remaining !== 0) throw new ByteReadError("trailing bytes after the ops");
  const parsed = changeSchema.safeParse({ v: 2, workspace, author, seq, deps, clock: { wall, logical }, ops });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ByteReadError(`invalid change: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "shape"}`);
  }
  // One change, one encoding: what we read must be exactly what we would write.
  const again = encodeBodyV2(parsed.data, body.length);
  if (!again.equals(r.buf)) throw new ByteReadError("body is not the canonical encoding");
  return parsed.data;
}
