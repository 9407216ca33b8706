/**
 * The `musher serve` children one test file started, so `afterEach` stops
 * every one still running even when a test fails half-way. A test that
 * stops or kills a node itself says so with `forget` (its restart is
 * tracked again with `track`).
 */
import type { ServeProcess } from "./startServe";

export interface ServeFleet {
  track(p: ServeProcess | Promise<ServeProcess>): Promise<ServeProcess>;
  forget(p: ServeProcess): void;
  stopAll(): Promise<void>;
}

export function serveFleet(): ServeFleet {
  const running = new Set<ServeProcess>();
  return {
    track: async (p) => {
      const s = await p;
      running.add(s);
      return s;
    },
    forget: (p) => void running.delete(p),
    stopAll: async () => {
      await Promise.all([...running].map((p) => p.stop()));
      running.clear();
    },
  };
}
