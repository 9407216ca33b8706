/**
 * Composes a node's memory service over its replica and the tables the
 * replica's `MemoryReducer` folds changes into, with the boundary detector
 * the environment asks for, and the segmenter takeover time: the
 * `segmenterTtlMs` option, else `MUSHER_SEGMENTER_TTL_MS` (a positive
 * integer of milliseconds; anything else is logged and ignored), else
 * `SEGMENTER_TTL_MS`.
 */
import type { Logger } from "../base/Logger";
import type { Replica } from "../crdt/Replica";
import { createDetector } from "./createDetector";
import { MemoryService } from "./MemoryService";
import type { MemoryTables } from "./MemoryTables";
import { SEGMENTER_TTL_MS } from "./segmenterTakeover";

export interface CreateMemoryServiceOptions {
  replica: Replica;
  tables: MemoryTables;
  storyExists: (storyId: string) => boolean;
  logger: Logger;
  env?: Readonly<Record<string, string | undefined>>;
  segmenterTtlMs?: number | undefined;
}

export function createMemoryService(options: CreateMemoryServiceOptions): MemoryService {
  const env = options.env ?? process.env;
  return new MemoryService({
    replica: options.replica,
    tables: options.tables,
    detector: createDetector(env, options.logger),
    storyExists: options.storyExists,
    logger: options.logger,
    segmenterTtlMs: options.segmenterTtlMs ?? ttlFromEnv(env["MUSHER_SEGMENTER_TTL_MS"], options.logger),
  });
}

function ttlFromEnv(raw: string | undefined, logger: Logger): number {
  if (raw === undefined || raw === "") return SEGMENTER_TTL_MS;
  const ms = Number(raw);
  if (Number.isSafeInteger(ms) && ms > 0) return ms;
  logger.warn("MUSHER_SEGMENTER_TTL_MS is not a positive integer of ms; using the default", { value: raw.slice(0, 40), defaultMs: SEGMENTER_TTL_MS });
  return SEGMENTER_TTL_MS;
}
