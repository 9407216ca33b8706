import { MemoryReplicaStore } from "./MemoryReplicaStore";
import { runReplicaStoreContract } from "./replicaStoreContract";

runReplicaStoreContract("MemoryReplicaStore", () => new MemoryReplicaStore());
