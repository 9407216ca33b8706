import { InMemoryMemoryStore } from "./InMemoryMemoryStore";
import { runMemoryStoreTests } from "./runMemoryStoreTests";

runMemoryStoreTests("InMemoryMemoryStore", () => new InMemoryMemoryStore());
