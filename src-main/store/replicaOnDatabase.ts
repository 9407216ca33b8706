/**
 * The one wiring of a replica onto a node database: the change log and board
 * tables (SqliteReplicaStore), the memory tables and their reducer, and the
 * stage limits kept in `meta`. createNode runs it on the node's database and
 * `musher rebuild` on a scratch one, so a replay folds through exactly the
 * reducers a live node runs (the tables are a function of the log only if
 * both sides fold the same way).
 */
import type Database from "better-sqlite3";
import type { Logger } from "../base/Logger";
import type { Signer } from "../crdt/Identity";
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
}

export function replicaOnDatabase(
  db: Database.Database,
  options: { workspace: string; signer: Signer; logger: Logger; store?: ReplicaStore; verifyPool?: VerifyPool },
): ReplicaOnDatabase {
  const store = options.store ?? new SqliteReplicaStore(db);
  const tables = new SqliteMemoryTables(db);
  const memoryReducer = new MemoryReducer(tables);
  const stageLimits = new StageLimits(metaKeyValueTable(db));
  const replica = new Replica({
    workspace: options.workspace,
    signer: options.signer,
    logger: options.logger,
    store,
    reducers: [memoryReducer, stageLimits],
    ...(options.verifyPool ? { verifyPool: options.verifyPool } : {}),
  });
  return { replica, store, tables, memoryReducer, stageLimits };
}
