/**
 * Dishonest inputs for the authentication tests (docs/PROTOCOL.md,
 * "Authentication by author heads"): broken signatures, tampered bodies,
 * forgeries, and changes a dishonest author signs by hand. Nothing here is
 * used by production code.
 */
import { CHANGE_VERSION, type Change, type Op } from "../../../src-main/crdt/Change";
import { assemble, decodeChange, encodeBody, FORMAT_V1, FORMAT_V2, signChange } from "../../../src-main/crdt/changeCodec";
import type { Identity } from "../../../src-main/crdt/Identity";
import { MemoryReplicaStore } from "../../../src-main/crdt/MemoryReplicaStore";
import { Replica } from "../../../src-main/crdt/Replica";
import { recordingLogger, TEST_WORKSPACE, testIdentity, testNode } from "./testKit";

export const create = (story: string): Op => ({ t: "create", story, name: story, stage: "1_backlog", rank: "a0", agent: null });

/** An empty in-memory replica (identity 9, which writes nothing). */
export const fresh = (): Replica => new Replica({ workspace: TEST_WORKSPACE, signer: testIdentity(9), logger: recordingLogger(), store: new MemoryReplicaStore() });

/** Everything `replica` applies from now on, in order. */
export function tap(replica: Replica): Uint8Array[] {
  const out: Uint8Array[] = [];
  replica.onApplied((e) => out.push(...e.changes));
  return out;
}

/** The same change with its signature's first byte flipped: same id, a signature that does not verify. */
export function badSig(bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[1] = copy[1]! ^ 0x01;
  return copy;
}

/** The change with one op renamed but the ORIGINAL signature: a new id its author never signed. */
export function tampered(bytes: Uint8Array): Uint8Array {
  const d = decodeChange(bytes, TEST_WORKSPACE);
  if (!d.ok) throw new Error(d.reason);
  const ops = d.value.change.ops.map((op) => (op.t === "create" ? { ...op, name: "tampered" } : op));
  const format = bytes[0] === FORMAT_V1 ? FORMAT_V1 : FORMAT_V2;
  return assemble(format, d.value.sig, encodeBody({ ...d.value.change, ops }, format).body);
}

export const idOf = (bytes: Uint8Array): string => {
  const d = decodeChange(bytes, TEST_WORKSPACE);
  if (!d.ok) throw new Error(d.reason);
  return d.value.id;
};

/** A change by `author`, signed with its key, built by hand (any seq, any deps): what a dishonest author can sign. */
export function signedBy(author: Identity, fields: { seq: number; deps: string[]; wall: number; ops?: Op[] }): Uint8Array {
  const change: Change = { v: CHANGE_VERSION, workspace: TEST_WORKSPACE, author: author.publicKey, seq: fields.seq, deps: [...fields.deps].sort(), clock: { wall: fields.wall, logical: 0 }, ops: fields.ops ?? [] };
  return signChange(change, author).bytes;
}

/** A change "by" `claimed` but signed with `forger`'s key. */
export function forged(claimed: Identity, forger: Identity, change: Omit<Change, "author" | "v" | "workspace">): Uint8Array {
  const full: Change = { v: CHANGE_VERSION, workspace: TEST_WORKSPACE, author: claimed.publicKey, ...change };
  return signChange(full, { publicKey: claimed.publicKey, sign: (m) => forger.sign(m) }).bytes;
}

/** A chain of `n` changes by node i (each a story create), as wire bytes. */
export function chainOf(i: number, n: number): Uint8Array[] {
  const node = testNode(i);
  const out = tap(node.replica);
  for (let k = 0; k < n; k++) node.board.create({ name: `c${k}`, stage: "1_backlog", agent: null });
  return out;
}
