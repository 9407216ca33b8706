/**
 * Control messages of the sync protocol (the JSON payload of a `control`
 * frame, see SyncFrame). Every message a peer sends is parsed against these
 * strict schemas: unknown keys, unknown types and out-of-range sizes are
 * refused, so nothing a peer sends can allocate without bound.
 *
 * Order on a connection (docs/PROTOCOL.md):
 *   server → hello · client → auth, sync · server → welcome, sync, plan,
 *   changes…, ready · client → plan, changes…, ready · then live changes
 *   and optional need → plan, changes…, ready rounds.
 */
import { z } from "zod";

const hex = (bytes: number): z.ZodString => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
export const nodeKeySchema = hex(32);
const nonceSchema = hex(32);
const sigSchema = hex(64);
const workspaceSchema = z.string().min(1).max(128);

export const MAX_VECTOR_AUTHORS = 100_000;
export const MAX_HEADS = 4_096;
export const MAX_NEED_IDS = 1_024;
/** Equivocating authors announced in `sync.forks`, and tips per author. */
export const MAX_FORK_AUTHORS = 64;
export const MAX_FORK_TIPS = 64;

export const syncMessageSchema = z.discriminatedUnion("t", [
  /** Server's first message: who it is, which workspace, and its fresh nonce. */
  z.object({ t: z.literal("hello"), workspace: workspaceSchema, node: nodeKeySchema, nonce: nonceSchema }).strict(),
  /**
   * Client's proof: its key, its fresh nonce, its signature over the
   * challenge; a device redeeming an invite adds the invite key and that
   * key's signature over the same challenge in role "invite".
   */
  z
    .object({
      t: z.literal("auth"),
      workspace: workspaceSchema,
      node: nodeKeySchema,
      nonce: nonceSchema,
      sig: sigSchema,
      invite: z.object({ key: nodeKeySchema, sig: sigSchema }).strict().optional(),
    })
    .strict(),
  /** Server's proof over the same nonces (role "server"). */
  z.object({ t: z.literal("welcome"), sig: sigSchema }).strict(),
  /** What the sender has: highest applied seq per author, and its heads. */
  z
    .object({
      t: z.literal("sync"),
      vec: z.array(z.tuple([nodeKeySchema, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)])).max(MAX_VECTOR_AUTHORS),
      heads: z.array(hex(32)).max(MAX_HEADS),
      /** For authors the sender knows equivocated: its tips of their changes (see planCatchUp). */
      forks: z
        .array(z.tuple([nodeKeySchema, z.array(hex(32)).min(1).max(MAX_FORK_TIPS)]))
        .max(MAX_FORK_AUTHORS)
        .optional(),
    })
    .strict(),
  /** How many changes follow before the next `ready` (progress indicator). */
  z.object({ t: z.literal("plan"), count: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict(),
  /** End of a catch-up batch. */
  z.object({ t: z.literal("ready") }).strict(),
  /** Ids the sender still lacks after a catch-up (heads it was told of, deps of pending changes). */
  z.object({ t: z.literal("need"), ids: z.array(hex(32)).min(1).max(MAX_NEED_IDS) }).strict(),
]);

export type SyncMessage = z.infer<typeof syncMessageSchema>;
export type SyncMessageOf<T extends SyncMessage["t"]> = Extract<SyncMessage, { t: T }>;
