import { generateIdentity } from "../crdt/Identity";
import { Replica } from "../crdt/Replica";
import { silentLogger } from "../base/Logger";
import { openMemoryDatabase } from "./openDatabase";
import { SqliteMemoryTables } from "./SqliteMemoryTables";
import { SqliteReplicaStore } from "./SqliteReplicaStore";
import { MemoryReducer } from "../memory/MemoryReducer";
import { ReplicatedMemoryStore } from "../memory/ReplicatedMemoryStore";
import { runMemoryStoreTests } from "../../test/support/memory/runMemoryStoreTests";

runMemoryStoreTests("ReplicatedMemoryStore (signed changes into SQLite)", () => {
  const db = openMemoryDatabase();
  const tables = new SqliteMemoryTables(db);
  const replica = new Replica({
    workspace: "w",
    signer: generateIdentity(),
    logger: silentLogger,
    store: new SqliteReplicaStore(db),
    reducers: [new MemoryReducer(tables)],
  });
  replica.commit(["s", "s1", "s2"].map((session) => ({ t: "session" as const, session, title: session, storyId: null, createdAt: 1 })));
  return new ReplicatedMemoryStore(replica, tables);
});
