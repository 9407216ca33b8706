/**
 * Builds a node's `MemoryService` with today's interim parts: in-memory
 * store, registry and hide marks, the scanning search and the wall-clock
 * visibility clock. This function is THE place the lead swaps them for the
 * SQLite store / FTS5 search / HLC (one line each below).
 */
import type { Logger } from "../node/Logger";
import { createDetector } from "./createDetector";
import { InMemoryHideMarks } from "./InMemoryHideMarks";
import { InMemoryMemoryStore } from "./InMemoryMemoryStore";
import { InMemorySessionRegistry } from "./InMemorySessionRegistry";
import { MemoryService } from "./MemoryService";
import { ScanMemorySearch } from "./ScanMemorySearch";
import { VisibilityClock } from "./VisibilityClock";

export interface CreateMemoryServiceOptions {
  nodeId: string;
  storyExists: (storyId: string) => boolean;
  onChanged: (sessionId: string) => void;
  logger: Logger;
  env?: Readonly<Record<string, string | undefined>>;
}

export function createMemoryService(options: CreateMemoryServiceOptions): MemoryService {
  const store = new InMemoryMemoryStore();
  const registry = new InMemorySessionRegistry();
  const marks = new InMemoryHideMarks();
  return new MemoryService({
    store,
    registry,
    marks,
    search: new ScanMemorySearch({ registry, store, marks }),
    detector: createDetector(options.env ?? process.env, options.logger),
    clock: new VisibilityClock(options.nodeId),
    storyExists: options.storyExists,
    onChanged: options.onChanged,
    logger: options.logger,
  });
}
