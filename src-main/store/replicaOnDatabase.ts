/**
 * The one wiring of a replica onto a node database: the change log and board
 * tables (SqliteReplicaStore), workspace membership and the stage limits
 * (both kept in `meta`), and the memory tables and their reducer. createNode runs it on the node's database and
 * `musher rebuild` on a scratch one, so a replay folds through exactly the
 * reducers a live node runs (the tables are a function of the log only if
 * both sides fold the same way).
 */
import type Database from "better-sqlite3";
import type { Logger } from "../base/Logger";
import type { Signer } from "../crdt/Identity";
import { Membership } from "../crdt/Membership";
import type { Op } from "../crdt/Change";
import { Replica } from "../crdt/Replica";
import type { VerifyPool } from "../crdt/VerifyPool";
import type { ReplicaStore } from "../crdt/ReplicaStore";
import { StageLimits } from "../crdt/StageLimits";
import { MemoryReducer } from "../memory/MemoryReducer";
import { metaKeyValueTable } from "./metaKeyValueTable";
import { SqliteMemoryTables } from "./SqliteMemoryTables";
import { SqliteReplicaStore } from "./SqliteReplicaStore";

export interface ReplicaOnDatabase {
  replica: Replica;
  /** The replica's log and board tables. */
  store: ReplicaStore;
  tables: SqliteMemoryTables;
  memoryReducer: MemoryReducer;
  stageLimits: StageLimits;
  membership: Membership;
}

export function replicaOnDatabase(
  db: Database.Database,
  options: {
    workspace: string;
    signer: Signer;
    logger: Logger;
    store?: ReplicaStore;
    verifyPool?: VerifyPool;
    founding?: (workspace: string) => Op[] | null;
  },
): ReplicaOnDatabase {
  const store = options.store ?? new SqliteReplicaStore(db);
  const tables = new SqliteMemoryTables(db);
  const memoryReducer = new MemoryReducer(tables);
  const stageLimits = new StageLimits(metaKeyValueTable(db));
  // Late-bound: membership judges by the replica's workspace, which a fresh node may still change (joining).
  const ref: { replica?: Replica } = {};
  const workspaceOf = (): string => ref.replica?.workspace ?? options.workspace;
  const membership = new Membership(metaKeyValueTable(db), store, workspaceOf);
  const founding = options.founding;
  const replica = new Replica({
    workspace: options.workspace,
    signer: options.signer,
    logger: options.logger,
    store,
    reducers: [membership, memoryReducer, stageLimits],
    ...(options.verifyPool ? { verifyPool: options.verifyPool } : {}),
    ...(founding ? { founding: () => founding(workspaceOf()) } : {}),
  });
  ref.replica = replica;
  return { replica, store, tables, memoryReducer, stageLimits, membership };
}
