/**
 * The membership ops (see `Membership.ts` for their validity and fold rules,
 * docs/PROTOCOL.md §Membership for the format). Plain op objects in the same
 * `ops` array as board and memory ops, told apart by `t`:
 *
 * - `genesis { nonce, name }`: the first change of a workspace: seq 1, no
 *   deps, this op alone; its author becomes the first admin. The workspace
 *   id commits to it: `m_` + hex SHA-256 of `["musher-workspace/1", author,
 *   nonce]` (`workspaceIdOf`), so nobody but the creator's key can found it.
 * - `member { key, name, role }`: adds (or re-adds) a device; admins only.
 * - `role { key, role }`: changes a current member's role; admins only.
 * - `remove { key }`: removes a member; admins only.
 * - `invite { key, name, role, expires }`: a single-use invite for a
 *   one-time Ed25519 key; `expires` bounds the EFFECTIVE clock (ms) of the
 *   join, or null; admins only.
 * - `join { invite, proof }`: written by the new device (the change's
 *   author), alone in its change: `proof` is the invite key's signature over
 *   `joinProofMessage(workspace, author)`.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Signer } from "./Identity";

const key = z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex chars");
const role = z.enum(["admin", "member"]);
const memberName = z.string().max(200);

export const membershipOpSchemas = [
  z.object({ t: z.literal("genesis"), nonce: key, name: memberName }).strict(),
  z.object({ t: z.literal("member"), key, name: memberName, role }).strict(),
  z.object({ t: z.literal("role"), key, role }).strict(),
  z.object({ t: z.literal("remove"), key }).strict(),
  z
    .object({
      t: z.literal("invite"),
      key,
      name: memberName,
      role,
      expires: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
    })
    .strict(),
  z.object({ t: z.literal("join"), invite: key, proof: z.string().regex(/^[0-9a-f]{128}$/) }).strict(),
] as const;

export const MEMBERSHIP_OP_TYPES: ReadonlySet<string> = new Set(["genesis", "member", "role", "remove", "invite", "join"]);

export type MembershipOp =
  | z.infer<(typeof membershipOpSchemas)[0]>
  | z.infer<(typeof membershipOpSchemas)[1]>
  | z.infer<(typeof membershipOpSchemas)[2]>
  | z.infer<(typeof membershipOpSchemas)[3]>
  | z.infer<(typeof membershipOpSchemas)[4]>
  | z.infer<(typeof membershipOpSchemas)[5]>;

export function isMembershipOp(op: { t: string }): op is MembershipOp {
  return MEMBERSHIP_OP_TYPES.has(op.t);
}

const WORKSPACE_LABEL = "musher-workspace/1";
const JOIN_LABEL = "musher-join/1";

/** The id of the workspace founded by `creator` with this genesis nonce. */
export function workspaceIdOf(creator: string, nonce: string): string {
  return `m_${createHash("sha256").update(JSON.stringify([WORKSPACE_LABEL, creator, nonce]), "utf8").digest("hex")}`;
}

/** Whether a workspace id is a genesis hash (else: a workspace from before membership; see Membership, legacy). */
export function isGenesisWorkspace(workspace: string): boolean {
  return /^m_[0-9a-f]{64}$/.test(workspace);
}

/** The bytes the invite key signs to let `author` join `workspace`. */
export function joinProofMessage(workspace: string, author: string): Uint8Array {
  return Buffer.from(JSON.stringify([JOIN_LABEL, workspace, author]), "utf8");
}

/** The `join` op by which `author` redeems the invite whose one-time key is `invite`. */
export function joinOp(invite: Signer, workspace: string, author: string): Extract<MembershipOp, { t: "join" }> {
  return { t: "join", invite: invite.publicKey, proof: Buffer.from(invite.sign(joinProofMessage(workspace, author))).toString("hex") };
}
