/**
 * The membership part of the API contract (spread into `methods`/`events` in
 * `contract.ts`). Membership is replicated signed data (see docs/PROTOCOL.md,
 * Membership): every replica folds the same membership changes into the same
 * member list, so `member/list` answers the same on converged replicas.
 *
 * - `member/invite` (admins only, else `forbidden` / HTTP 403) returns a
 *   single-use invite: one line without whitespace that a new device passes
 *   to `member/join` (desktop) or `musher serve --join`.
 * - `member/join` adopts the invite's workspace. Only a fresh node can join
 *   (one that has written and received nothing yet); any other gets
 *   `conflict`. The join completes in the background once a peer named in
 *   the invite (or a rendezvous) admits the device: watch `member/changed`
 *   and `sync/changed`.
 * - `member/changed` carries the whole list (like `sync/changed`), so a
 *   client never has to refetch.
 */
import { z } from "zod";

export const MAX_INVITE_CHARS = 4096;

export const memberRoleSchema = z.enum(["admin", "member"]);

export const memberSchema = z.object({
  /** The device's node key (Ed25519 public key, hex). */
  nodeId: z.string(),
  name: z.string(),
  role: memberRoleSchema,
  /** Node key of the admin who added it (or whose invite it redeemed); null for the workspace's creator and migrated members. */
  addedBy: z.string().nullable(),
  /** Effective-clock time (ms since epoch) of the change that added it. */
  addedAt: z.number(),
  removed: z.boolean(),
});

export const memberListSchema = z.object({ members: z.array(memberSchema) });

export type MemberRole = z.infer<typeof memberRoleSchema>;
export type Member = z.infer<typeof memberSchema>;
export type MemberList = z.infer<typeof memberListSchema>;

const nodeKey = z.string().regex(/^[0-9a-f]{64}$/, "a node key is 64 lowercase hex characters");

export const memberMethods = {
  "member/list": {
    input: z.object({}).strict(),
    output: memberListSchema,
  },
  "member/invite": {
    input: z
      .object({
        /** Who the invite is for (shown in the member list once it is redeemed). */
        name: z.string().trim().min(1, "an invite needs a name").max(200),
        role: memberRoleSchema.optional(),
      })
      .strict(),
    output: z.object({ invite: z.string().regex(/^\S+$/) }),
  },
  "member/remove": {
    input: z.object({ nodeId: nodeKey }).strict(),
    output: z.object({ nodeId: z.string() }),
  },
  "member/join": {
    input: z.object({ invite: z.string().trim().min(1).max(MAX_INVITE_CHARS) }).strict(),
    output: z.object({ workspaceId: z.string() }),
  },
} as const;

export const memberEvents = {
  "member/changed": memberListSchema,
} as const;
