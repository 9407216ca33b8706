/**
 * Opens a node's data directory: `<dataDir>/musher.db` holds the change log,
 * the materialized state AND the node's identity and workspace id (table
 * `meta`). Keeping the Ed25519 seed in the database rather than a separate
 * `identity.key` means identity, workspace and history are created in one
 * atomic step and can never disagree (a key file restored without its
 * database, or the reverse, would make the node reuse its own seqs). The
 * file is created with mode 0600 for that reason; SQLite gives its -wal and
 * -shm files the same mode.
 *
 * Invariants:
 * - First run (no database): a fresh seed and a fresh workspace id — or the
 *   `workspaceId` asked for (how a node joins a peer's workspace) — are
 *   written together with the schema.
 * - Later runs: the stored ids are used; asking for another workspace is a
 *   `StoreError("wrong_workspace")`, never a silent switch.
 * - Meta values are read back through zod: the file is input like any other.
 */
import { mkdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { z } from "zod";
import { generateIdentity, identityFromSeed, type Identity } from "../crdt/Identity";
import { workspaceIdOf } from "../crdt/membershipOps";
import { loadSqliteBinding } from "./loadSqliteBinding";
import { openDatabase } from "./openDatabase";
import { SqliteReplicaStore } from "./SqliteReplicaStore";
import { WalCheckpointer } from "./WalCheckpointer";
import type { Logger } from "../base/Logger";
import { StoreError } from "./StoreError";

export const DATABASE_FILE = "musher.db";

const metaSchema = z.object({
  node_seed: z.string().regex(/^[0-9a-f]{64}$/, "a 32-byte hex seed"),
  workspace_id: z.string().min(1).max(128),
  /** Present on a node that founded its workspace (see `crdt/membershipOps`, genesis). */
  genesis_nonce: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

export interface NodeStore {
  readonly file: string;
  readonly db: Database.Database;
  readonly store: SqliteReplicaStore;
  readonly identity: Identity;
  readonly workspaceId: string;
  /** The nonce of the genesis this node writes for the workspace it founded (undefined: it joined one, or an old data dir). */
  readonly genesisNonce: string | undefined;
  /** The better-sqlite3 build this store was opened with (scratch databases, e.g. rebuild's, must use it too). */
  readonly nativeBinding?: string;
  close(): void;
}

export interface OpenNodeStoreOptions {
  dataDir: string;
  /** Adopted on an empty data dir; must match on an existing one. */
  workspaceId?: string;
  /** false: a missing database is an error (export, rebuild). Default true. */
  create?: boolean;
  /** Absolute path of a better_sqlite3.node built for the running runtime; absent = better-sqlite3's own build. */
  nativeBinding?: string;
  /** A long-lived node: WAL checkpoints run in a worker thread (`WalCheckpointer`), logged here if that fails. */
  checkpointer?: { log: Logger };
}

export function newWorkspaceId(): string {
  return `w_${randomBytes(16).toString("hex")}`;
}

export function openNodeStore(options: OpenNodeStoreOptions): NodeStore {
  const create = options.create ?? true;
  // A native module that cannot load fails here, before the data dir is made.
  if (options.nativeBinding !== undefined) loadSqliteBinding(options.nativeBinding);
  if (create) mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, DATABASE_FILE);
  const db = openDatabase(file, {
    create,
    ...(options.nativeBinding !== undefined ? { nativeBinding: options.nativeBinding } : {}),
    init: (fresh) => {
      const put = fresh.prepare<[string, string]>("INSERT INTO meta (key, value) VALUES (?, ?)");
      const identity = generateIdentity();
      put.run("node_seed", Buffer.from(identity.seed).toString("hex"));
      if (options.workspaceId !== undefined) {
        put.run("workspace_id", options.workspaceId);
      } else {
        // A new workspace: its id commits to this node's key (the genesis it writes before its first change).
        const nonce = randomBytes(32).toString("hex");
        put.run("genesis_nonce", nonce);
        put.run("workspace_id", workspaceIdOf(identity.publicKey, nonce));
      }
    },
  });
  try {
    const rows = db.prepare<[], { key: string; value: string }>("SELECT key, value FROM meta").all();
    const parsed = metaSchema.safeParse(Object.fromEntries(rows.map((r) => [r.key, r.value])));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new StoreError("bad_meta", `${file} has no valid node identity (${issue ? `${issue.path.join(".")}: ${issue.message}` : "meta"}); restore it from a backup or move it away.`);
    }
    const { node_seed: seed, workspace_id: workspaceId, genesis_nonce: genesisNonce } = parsed.data;
    if (options.workspaceId !== undefined && options.workspaceId !== workspaceId) {
      throw new StoreError(
        "wrong_workspace",
        `${options.dataDir} holds workspace ${workspaceId}, not ${options.workspaceId}: a data directory holds one workspace; use an empty directory to join ${options.workspaceId}.`,
      );
    }
    const identity = identityFromSeed(Buffer.from(seed, "hex"));
    const store = new SqliteReplicaStore(db);
    const checkpointer = options.checkpointer
      ? new WalCheckpointer(db, file, { log: options.checkpointer.log, ...(options.nativeBinding !== undefined ? { nativeBinding: options.nativeBinding } : {}) })
      : null;
    checkpointer?.start();
    // Received changes still in an open group transaction are committed, not rolled back by the close.
    const close = (): void => {
      store.settle();
      checkpointer?.stop();
      db.close();
    };
    return { file, db, store, identity, workspaceId, genesisNonce, ...(options.nativeBinding !== undefined ? { nativeBinding: options.nativeBinding } : {}), close };
  } catch (err) {
    db.close();
    throw err;
  }
}
