import { MemoryReplicaStore } from "./MemoryReplicaStore";
import { runReplicaStoreContract } from "../../test/support/crdt/replicaStoreContract";

runReplicaStoreContract("MemoryReplicaStore", () => new MemoryReplicaStore());
