/**
 * The replication unit and its ops, declared once as zod schemas: these are
 * what untrusted bytes are checked against (`decodeChange`).
 *
 * A change is `{ v, workspace, author, seq, deps, clock, ops }`:
 * - `author` is the raw Ed25519 public key (hex) that must have signed it;
 * - `seq` is 1 + the author's highest seq in the change's causal past;
 * - `deps` are the sorted, distinct ids of the heads the author knew;
 * - `clock` is the author's claimed HLC: information only; replicas order
 *   changes by the effective clock they derive from it (`Hlc.ts`);
 * - `ops` apply in order; a bulk edit is one change with many ops; a v2
 *   change with no ops is a merge of heads.
 *
 * Story references in ops must name stories created in the change's causal
 * past (or by an earlier op of the same change); `deps.remove` tags must name
 * changes in the causal past. Those checks need the replica and live in
 * `validateChange`; the schemas only check shape.
 */
import { z } from "zod";
import { memCellIdSchema } from "../../src-shared/MemCell";
import { messageIdSchema, messageRoleSchema } from "../../src-shared/Message";
import { MAX_MESSAGE_CONTENT } from "../../src-shared/memoryMethods";
import { sessionIdSchema } from "../../src-shared/Session";
import { stageIdSchema } from "../../src-shared/stages";
import { descriptionSchema, storyIdSchema } from "../../src-shared/Story";
import { isMembershipOp, membershipOpSchemas, type MembershipOp } from "./membershipOps";
import { isRank } from "./rankBetween";

export const MAX_OPS_PER_CHANGE = 20_000;

export const hexKeySchema = z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex chars");
export const changeIdSchema = hexKeySchema;
const rankSchema = z.string().refine(isRank, "not a rank");
const nameSchema = z.string().max(500);
const agentSchema = z.string().max(200).nullable();
/** A stage's WIP limit: a positive count, or null for none. */
export const stageLimitSchema = z.number().int().min(1).max(100_000).nullable();
/** An add tag of the dependsOn set: `<change id>.<op index>`. */
export const tagSchema = z.string().regex(/^[0-9a-f]{64}\.\d{1,5}$/);

const story = storyIdSchema;
const session = sessionIdSchema;
const epochMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Bounds of a memcell op (the memorizer truncates episodes to fit). */
export const MEMCELL_LIMITS = { messages: 1_000, title: 500, content: 64 * 1024, summary: 4 * 1024 } as const;

/**
 * The memory ops (sessions, messages, memcells — see `memory/MemoryReducer`
 * for their validity and merge rules). They name no `story` key, which is
 * how `isStoryOp` tells the two families apart.
 */
const memoryOps = [
  z.object({ t: z.literal("session"), session, title: z.string().max(500), storyId: storyIdSchema.nullable(), createdAt: epochMs }).strict(),
  z
    .object({
      t: z.literal("msg"),
      session,
      /** Must equal `messageId(session, {sender, role, ts, content}, occ)`: one id, one content. */
      id: messageIdSchema,
      sender: z.string().min(1).max(256),
      role: messageRoleSchema,
      ts: epochMs,
      content: z.string().max(MAX_MESSAGE_CONTENT),
      occ: z.number().int().min(0).max(MAX_OPS_PER_CHANGE),
    })
    .strict(),
  z
    .object({
      t: z.literal("cell"),
      session,
      /** The memcell id is derived from these (`memCellId`), never sent. */
      messages: z.array(messageIdSchema).min(1).max(MEMCELL_LIMITS.messages),
      title: z.string().max(MEMCELL_LIMITS.title),
      content: z.string().max(MEMCELL_LIMITS.content),
      summary: z.string().max(MEMCELL_LIMITS.summary).nullable(),
    })
    .strict(),
  z.object({ t: z.literal("segmenter"), session }).strict(),
  z.object({ t: z.literal("cellHide"), cell: memCellIdSchema }).strict(),
  z.object({ t: z.literal("cellUnhide"), cell: memCellIdSchema }).strict(),
] as const;

export const opSchema = z.discriminatedUnion("t", [
  z.object({ t: z.literal("create"), story, name: nameSchema, stage: stageIdSchema, rank: rankSchema, agent: agentSchema }).strict(),
  z.object({ t: z.literal("name"), story, value: nameSchema }).strict(),
  z.object({ t: z.literal("agent"), story, value: agentSchema }).strict(),
  z.object({ t: z.literal("blocked"), story, value: z.boolean() }).strict(),
  z.object({ t: z.literal("place"), story, stage: stageIdSchema, rank: rankSchema }).strict(),
  z.object({ t: z.literal("count"), story, delta: z.number().int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0) }).strict(),
  z.object({ t: z.literal("deps"), story, add: z.array(storyIdSchema).max(1000), remove: z.array(tagSchema).max(10_000) }).strict(),
  z.object({ t: z.literal("claim"), story, by: z.string().min(1).max(200) }).strict(),
  z.object({ t: z.literal("release"), story }).strict(),
  z.object({ t: z.literal("hide"), story }).strict(),
  z.object({ t: z.literal("unhide"), story }).strict(),
  z.object({ t: z.literal("delete"), story }).strict(),
  /** A description write (LWW with kept concurrent values, like name). */
  z.object({ t: z.literal("desc"), story, value: descriptionSchema }).strict(),
  /** Restores a deleted story: deleted unless the latest restore is later than the latest delete. */
  z.object({ t: z.literal("undelete"), story }).strict(),
  /** A stage's WIP limit (a board setting; see `StageLimitReducer`). Names no story. */
  z.object({ t: z.literal("limit"), stage: stageIdSchema, limit: stageLimitSchema }).strict(),
  ...memoryOps,
  /** Workspace membership (see `membershipOps.ts`, `Membership.ts`). */
  ...membershipOpSchemas,
]);

export type Op = z.infer<typeof opSchema>;
/** An op of the pipeline board (every one names a `story`). */
export type StoryOp = Extract<Op, { story: string }>;
export type StageOp = Extract<Op, { t: "limit" }>;
export type MemoryOp = Exclude<Op, StoryOp | StageOp | MembershipOp>;

export function isStoryOp(op: Op): op is StoryOp {
  return "story" in op;
}

export function isMemoryOp(op: Op): op is MemoryOp {
  return !("story" in op) && op.t !== "limit" && !isMembershipOp(op);
}

export const MAX_DEPS = 256;

export const hlcSchema = z
  .object({
    wall: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    logical: z.number().int().min(0).max(0xffff_ffff),
  })
  .strict();

/**
 * The change format this build writes. v1 changes (older builds) stay valid
 * and are read as before; v2 differs only in that a change may carry no ops:
 * a pure merge, how a node folds more heads than one change may cite
 * (`MAX_DEPS`). Clock validity no longer exists in either (see `Hlc.ts`).
 */
export const CHANGE_VERSION = 2;

export const changeSchema = z
  .object({
    v: z.union([z.literal(1), z.literal(2)]),
    workspace: z.string().min(1).max(128),
    author: hexKeySchema,
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    deps: z
      .array(changeIdSchema)
      .max(MAX_DEPS)
      .refine((d) => d.every((x, i) => i === 0 || d[i - 1]! < x), "deps must be sorted and distinct"),
    clock: hlcSchema,
    ops: z.array(opSchema).max(MAX_OPS_PER_CHANGE),
  })
  .strict()
  .refine((c) => c.v === 2 || c.ops.length > 0, { message: "a v1 change carries at least one op", path: ["ops"] });

export type Change = z.infer<typeof changeSchema>;

/** A change with its derived id and the author's signature over that id. */
export interface SignedChange {
  readonly id: string;
  /** 64-byte Ed25519 signature over the 32 raw bytes of `id`. */
  readonly sig: Uint8Array;
  readonly change: Change;
  /** The exact wire bytes (see `changeCodec`). */
  readonly bytes: Uint8Array;
}
