/**
 * Throughput of `Memorizer.addMessages` with the embedded detector and the
 * in-memory store, for a few concurrency levels (default 1 and 16 adders).
 * The lead's bench runner calls `runMemorizeBench()` and prints the numbers.
 *
 * Workload: each adder sends `batches` batches of `batchSize` user/assistant
 * messages, one minute apart, to session `adder % sessions`; the embedded
 * detector cuts at UTC day changes (every 1,440 minutes of stream) and at the
 * 500-message limit, so the buffer is realistically large (up to 500) and
 * every call pays for the merge, sort and detection over it.
 */
import { EmbeddedDetector } from "./EmbeddedDetector";
import { InMemoryMemoryStore } from "./InMemoryMemoryStore";
import { Memorizer } from "./Memorizer";
import type { MessageInput } from "./Message";

export interface MemorizeBenchOptions {
  /** Concurrency levels to measure. Default [1, 16]. */
  adders?: number[];
  /** Batches each adder sends. Default 400. */
  batches?: number;
  /** Messages per batch. Default 5. */
  batchSize?: number;
  /** Sessions the adders spread over (capped at the adder count). Default 4. */
  sessions?: number;
  /** Run an untimed round first so the first level is not measuring the JIT. Default true. */
  warmup?: boolean;
}

export interface MemorizeBenchResult {
  adders: number;
  sessions: number;
  messages: number;
  memcells: number;
  ms: number;
  messagesPerSecond: number;
}

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

export async function runMemorizeBench(options: MemorizeBenchOptions = {}): Promise<MemorizeBenchResult[]> {
  const levels = options.adders ?? [1, 16];
  const batches = options.batches ?? 400;
  const batchSize = options.batchSize ?? 5;
  if (options.warmup ?? true) {
    await runMemorizeBench({ adders: [4], batches: 50, batchSize, sessions: 2, warmup: false });
  }
  const results: MemorizeBenchResult[] = [];
  for (const adders of levels) {
    const sessions = Math.max(1, Math.min(adders, options.sessions ?? 4));
    const store = new InMemoryMemoryStore();
    const memorizer = new Memorizer({ store, detector: new EmbeddedDetector() });
    // Inputs are built before timing starts: we measure the pipeline, not the fixture.
    const work = Array.from({ length: adders }, (_, a) =>
      Array.from({ length: batches }, (_, k) =>
        Array.from(
          { length: batchSize },
          (_, i): MessageInput => ({
            senderId: `adder-${a}`,
            role: i % 2 === 0 ? "user" : "assistant",
            timestamp: T0 + ((k * adders + a) * batchSize + i) * MINUTE,
            content: `adder ${a} batch ${k} message ${i}: some ordinary sentence of work chatter`,
          }),
        ),
      ),
    );
    const started = performance.now();
    await Promise.all(
      work.map(async (adderBatches, a) => {
        for (const batch of adderBatches) await memorizer.addMessages(`bench-${a % sessions}`, batch);
      }),
    );
    const ms = performance.now() - started;
    const messages = adders * batches * batchSize;
    let memcells = 0;
    for (let s = 0; s < sessions; s++) memcells += store.listMemCells(`bench-${s}`).length;
    results.push({ adders, sessions, messages, memcells, ms: Math.round(ms), messagesPerSecond: Math.round(messages / (ms / 1000)) });
  }
  return results;
}
