/**
 * Replicas of one genesis-founded workspace with the Membership reducer, for
 * the membership tests: replica 0 founds it; `admit` runs the invite/join
 * round trip in memory. Nothing here is used by production code.
 */
import type { Change } from "../../../src-main/crdt/Change";
import { changeIdOfBytes } from "../../../src-main/crdt/changeCodec";
import { identityFromSeed, type Identity } from "../../../src-main/crdt/Identity";
import { Membership } from "../../../src-main/crdt/Membership";
import { MemoryReplicaStore } from "../../../src-main/crdt/MemoryReplicaStore";
import { joinOp, workspaceIdOf } from "../../../src-main/crdt/membershipOps";
import { PipelineBoard } from "../../../src-main/crdt/PipelineBoard";
import { Replica } from "../../../src-main/crdt/Replica";
import { memoryKeyValueTable } from "../../../src-main/crdt/StageLimits";
import { ManualClock, recordingLogger, testIdentity } from "./testKit";

export const GENESIS_NONCE = "ab".repeat(32);

export interface MemberNode {
  i: number;
  identity: Identity;
  clock: ManualClock;
  replica: Replica;
  membership: Membership;
  board: PipelineBoard;
  /** Wire bytes of every change applied here, in application order. */
  log: Uint8Array[];
}

export function membershipWorkspace(): string {
  return workspaceIdOf(testIdentity(0).publicKey, GENESIS_NONCE);
}

/** Replica i of the test workspace (0 is its founder). */
export function memberNode(i: number, t = 1_000): MemberNode {
  const identity = testIdentity(i);
  const workspace = membershipWorkspace();
  const store = new MemoryReplicaStore();
  const membership = new Membership(memoryKeyValueTable(), store, () => workspace);
  const clock = new ManualClock(t);
  const replica = new Replica({
    workspace,
    signer: identity,
    logger: recordingLogger(),
    now: clock.now,
    store,
    reducers: [membership],
    founding: () => (i === 0 ? [{ t: "genesis", nonce: GENESIS_NONCE, name: "founder" }] : null),
  });
  const log: Uint8Array[] = [];
  replica.onApplied((e) => log.push(...e.changes));
  let n = 0;
  const board = new PipelineBoard(replica, () => `s${i}-${n++}`);
  return { i, identity, clock, replica, membership, board, log };
}

/** Delivers everything `from` holds to `to`. */
export function deliver(from: MemberNode, to: MemberNode): void {
  to.replica.receiveBatch(from.log);
}

/** `admin` invites `device`, which receives the admin's log and writes its join; returns the join's bytes (not yet at the admin). */
export function joinVia(admin: MemberNode, device: MemberNode, role: "admin" | "member" = "member", seed = device.i + 100): Uint8Array {
  admin.replica.found();
  const invite = identityFromSeed(new Uint8Array(32).fill(seed));
  admin.replica.commit([{ t: "invite", key: invite.publicKey, name: `device ${device.i}`, role, expires: null }]);
  deliver(admin, device);
  return device.replica.commit([joinOp(invite, device.replica.workspace, device.identity.publicKey)]).change.bytes;
}

/** `device` becomes a member through `admin` and both hold everything. */
export function admit(admin: MemberNode, device: MemberNode, role: "admin" | "member" = "member"): void {
  joinVia(admin, device, role);
  deliver(device, admin);
}

export function idOf(bytes: Uint8Array): string {
  return changeIdOfBytes(bytes, membershipWorkspace());
}

export type { Change };
