/**
 * The sync part of the API contract (spread into `methods`/`events` in
 * `contract.ts`): what a person needs to see whether their device is in
 * touch with the team, and the one setting the desktop app exposes (which
 * rendezvous peers to dial).
 *
 * `sync/changed` carries the whole status, so a client never has to refetch;
 * the node throttles it (progress during a large catch-up would otherwise
 * fire per frame).
 */
import { z } from "zod";

export const MAX_RENDEZVOUS_URLS = 16;
/** A WebSocket close reason is at most 123 bytes; a local connect error's text is cut to this. */
export const MAX_CLOSE_REASON_CHARS = 200;

const catchUpSchema = z.object({
  /** Changes the peer(s) announced for the current catch-up. */
  expected: z.number().int().nonnegative(),
  /** Of those, how many arrived and were processed. */
  received: z.number().int().nonnegative(),
});

export const syncPeerStatusSchema = z.object({
  /** The peer's node key (hex), null until its handshake completes. */
  nodeId: z.string().nullable(),
  url: z.string().optional(),
  direction: z.enum(["in", "out"]),
  state: z.enum(["handshake", "syncing", "live"]),
  /** ms since epoch of the last frame or pong, null before any. */
  lastSeen: z.number().nullable(),
  catchUp: catchUpSchema.nullable(),
  bytesIn: z.number().int().nonnegative(),
  bytesOut: z.number().int().nonnegative(),
  changesIn: z.number().int().nonnegative(),
  changesOut: z.number().int().nonnegative(),
});

/**
 * Where a dialled rendezvous address comes from:
 * - "setting": stored with the node's data through `sync/setRendezvous` (the
 *   list the desktop app's form edits);
 * - "flag": given on the command line (`musher serve --rendezvous`); never
 *   stored and cannot be changed or removed from the UI.
 * An address that is both in the setting and a flag counts as "flag": it is
 * dialled whatever the setting says.
 */
export const rendezvousSourceSchema = z.enum(["setting", "flag"]);

export const rendezvousStatusSchema = z.object({
  url: z.string(),
  source: rendezvousSourceSchema,
  state: z.enum(["connecting", "connected", "waiting"]),
  /** Consecutive failed attempts (0 once a handshake succeeds). */
  failures: z.number().int().nonnegative(),
  /** When the next attempt is due (state "waiting"), ms since epoch. */
  nextAttemptAt: z.number().nullable(),
  /**
   * How the last attempt or link ended, until a handshake succeeds again:
   * the WebSocket close code and reason (1006: no connection; a 4xxx code:
   * the other node refused, e.g. 4010 with "invite refused: this invite was
   * already used…"). The reason is the peer's text: shown, never parsed.
   * Optional: absent from nodes that predate it.
   */
  lastError: z
    .object({ code: z.number().int(), reason: z.string().max(MAX_CLOSE_REASON_CHARS) })
    .nullable()
    .optional(),
});

export const syncStatusSchema = z.object({
  nodeId: z.string(),
  workspaceId: z.string(),
  /** At least one authenticated peer. */
  online: z.boolean(),
  /** Sorted change ids of the replica's heads (equal on converged replicas). */
  heads: z.array(z.string()),
  peers: z.array(syncPeerStatusSchema),
  rendezvous: z.array(rendezvousStatusSchema),
  /** Own changes no peer is known to hold. */
  unsent: z.number().int().nonnegative(),
  /** Sum over peers currently catching us up, null when none is. */
  catchUp: catchUpSchema.nullable(),
});

export type CatchUpProgress = z.infer<typeof catchUpSchema>;
export type SyncPeerStatus = z.infer<typeof syncPeerStatusSchema>;
export type RendezvousStatus = z.infer<typeof rendezvousStatusSchema>;
export type RendezvousSource = z.infer<typeof rendezvousSourceSchema>;
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/** A rendezvous address: a ws:// or wss:// URL (the peer's `/sync` endpoint). */
export const rendezvousUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === "ws:" || u.protocol === "wss:";
    } catch {
      return false;
    }
  }, "a rendezvous address is a ws:// or wss:// URL, e.g. ws://server:7777/sync");

export const syncMethods = {
  "sync/status": {
    input: z.object({}).strict(),
    output: syncStatusSchema,
  },
  "sync/setRendezvous": {
    /**
     * Replaces the rendezvous peers this node dials (persisted with the
     * node's data; `--rendezvous` flags of `musher serve` come on top and
     * are reported with source "flag"; `urls` should hold only the
     * "setting" entries).
     */
    input: z.object({ urls: z.array(rendezvousUrlSchema).max(MAX_RENDEZVOUS_URLS) }).strict(),
    output: syncStatusSchema,
  },
  "sync/retryNow": {
    /** Dials this rendezvous now instead of waiting out its backoff (no-op unless it is waiting). */
    input: z.object({ url: z.string().max(2048) }).strict(),
    output: syncStatusSchema,
  },
} as const;

export const syncEvents = {
  "sync/changed": syncStatusSchema,
} as const;
