/**
 * Composes a node's memory service over its replica and the tables the
 * replica's `MemoryReducer` folds changes into, with the boundary detector
 * the environment asks for.
 */
import type { Logger } from "../node/Logger";
import type { Replica } from "../crdt/Replica";
import { createDetector } from "./createDetector";
import { MemoryService } from "./MemoryService";
import type { MemoryTables } from "./MemoryTables";

export interface CreateMemoryServiceOptions {
  replica: Replica;
  tables: MemoryTables;
  storyExists: (storyId: string) => boolean;
  logger: Logger;
  env?: Readonly<Record<string, string | undefined>>;
}

export function createMemoryService(options: CreateMemoryServiceOptions): MemoryService {
  return new MemoryService({
    replica: options.replica,
    tables: options.tables,
    detector: createDetector(options.env ?? process.env, options.logger),
    storyExists: options.storyExists,
    logger: options.logger,
  });
}
