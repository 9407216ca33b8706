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
 * Invariants: `decodeBodyV2` accepts only the canonical encoding of a change
 * valid under `changeSchema` — exactly the bytes `encodeBodyV2` writes for
 * the change it returns, checked while reading (no re-encode) — so one change
 * has exactly one encoding and one id (`changeCodec.differential.test.ts`
 * holds it to the old parse-re-encode-compare decoder); every count is
 * bounded (MAX_DEPS, MAX_OPS_PER_CHANGE, the bytes left) before anything is
 * allocated from it; it throws `ByteReadError` and `changeCodec` turns that
 * into a refusal.
 */
import { hash } from "node:crypto";
import { ByteReadError, ByteReader } from "./ByteReader";
import { ByteWriter } from "./ByteWriter";
import { changeSchema, MAX_DEPS, MAX_OPS_PER_CHANGE, type Change, type Op } from "./Change";
import { compileFieldCheck } from "./changeCodecOpCheck";
import { ChangeEncodeError, decodeOp, encodeOp } from "./opCodec";

export const FORMAT_V2 = 0x02;
/** Format byte + signature: the body starts here. */
export const V2_BODY_OFFSET = 65;
/** author(32) + seq, nDeps, wall, logical, nOps (≥ 1 byte each). */
export const MIN_V2_BODY = 37;

const HEX64 = /^[0-9a-f]{64}$/;

/** The id of a format-2 body in `workspace` (lowercase hex). */
export function changeIdV2(workspace: string, body: Uint8Array): string {
  // One buffer, one-shot hash: cheaper than a Hash object and two updates for
  // a body of ~100 bytes (the copy is small; small buffers come from a pool).
  // An ASCII workspace (every real one: `m_` + hex) is written here, saving
  // two calls into the native UTF-8 encoder per change.
  const n = workspace.length;
  let ascii = n < 0x80;
  for (let i = 0; ascii && i < n; i++) ascii = workspace.charCodeAt(i) < 0x80;
  const wsLength = ascii ? n : Buffer.byteLength(workspace, "utf8");
  const head = 1 + ByteWriter.uvarintLength(wsLength) + wsLength;
  const input = Buffer.allocUnsafe(head + body.length);
  input[0] = FORMAT_V2;
  if (ascii) {
    input[1] = n;
    for (let i = 0; i < n; i++) input[2 + i] = workspace.charCodeAt(i);
  } else {
    let at = 1;
    for (let len = wsLength; ; len = Math.floor(len / 128)) {
      if (len < 0x80) {
        input[at++] = len;
        break;
      }
      input[at++] = (len % 128) | 0x80;
    }
    input.write(workspace, at, wsLength, "utf8");
  }
  input.set(body, head);
  return hash("sha256", input, "hex");
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

/** `changeSchema`'s own check of the workspace (its length is counted in code points: not re-implemented here)... */
const workspaceSchema = changeSchema.shape.workspace;
/** ...run only when the sufficient check compiled from it cannot vouch for the workspace. */
const workspaceSurelyValid = compileFieldCheck(workspaceSchema) ?? ((): boolean => false);
/** The bound of `hlcSchema.logical` (the scalars are checked here: the zod parse of the whole change is not run). */
const LOGICAL_MAX = 0xffff_ffff;

/**
 * Decodes a format-2 body for `workspace`; throws on anything but the
 * canonical encoding of a valid change. Equivalent to parsing with
 * `changeSchema` and re-encoding, at a fraction of the cost: varints are
 * canonical by `ByteReader`, author and deps are 32 raw bytes (always
 * 64 lowercase hex), deps must ascend strictly (hex order is byte order),
 * the scalar bounds of `changeSchema` are checked here and each op by
 * `decodeOp` (canonical bytes, its zod schema).
 */
export function decodeBodyV2(body: Uint8Array, workspace: string): Change {
  if (!workspaceSurelyValid(workspace)) {
    const ws = workspaceSchema.safeParse(workspace);
    if (!ws.success) throw new ByteReadError(`invalid change: workspace: ${ws.error.issues[0]?.message ?? "shape"}`);
  }
  const r = new ByteReader(body);
  const author = r.hex32();
  const seq = r.uvarint();
  if (seq < 1) throw new ByteReadError("invalid change: seq: must be at least 1");
  const nDeps = r.count(MAX_DEPS, 32, "deps");
  const deps = new Array<string>(nDeps);
  for (let i = 0; i < nDeps; i++) {
    const d = r.hex32();
    if (i > 0 && !(deps[i - 1]! < d)) throw new ByteReadError("invalid change: deps: deps must be sorted and distinct");
    deps[i] = d;
  }
  const wall = r.uvarint();
  const logical = r.uvarint();
  if (logical > LOGICAL_MAX) throw new ByteReadError("invalid change: clock.logical: above 2^32-1");
  const nOps = r.count(MAX_OPS_PER_CHANGE, 1, "ops");
  const ops = new Array<Op>(nOps);
  for (let i = 0; i < nOps; i++) ops[i] = decodeOp(r, i);
  if (r.remaining !== 0) throw new ByteReadError("trailing bytes after the ops");
  return { v: 2, workspace, author, seq, deps, clock: { wall, logical }, ops };
}
