import { InMemoryMemoryStore } from "./InMemoryMemoryStore";
import { runMemoryStoreTests } from "../../test/support/memory/runMemoryStoreTests";

runMemoryStoreTests("InMemoryMemoryStore", () => new InMemoryMemoryStore());
