/**
 * Durable before visible (design Invariant 3), against the real thing: the
 * built `musher serve` takes a stream of story/create calls and is killed
 * with SIGKILL at a random moment, 20 times over one data dir. Every create
 * whose response arrived must survive, and the file must stay intact.
 * Needs `npm run build` first (startServe runs out/main/cli.js).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { startServe, type ServeProcess } from "../support/startServe";

const ROUNDS = 20;

function integrity(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma("integrity_check", { simple: true }) as string;
  } finally {
    db.close();
  }
}

async function storyIds(serve: ServeProcess): Promise<Set<string>> {
  const { status, body } = await serve.call("board/get", { includeHidden: true });
  expect(status).toBe(200);
  return new Set((body as { stories: { id: string }[] }).stories.map((s) => s.id));
}

/** Three concurrent callers creating stories until the process dies; returns the acknowledged ids. */
async function createUntilKilled(serve: ServeProcess, killAfterMs: number): Promise<string[]> {
  const acked: string[] = [];
  let n = 0;
  const caller = async (): Promise<void> => {
    for (;;) {
      let r: { status: number; body: unknown };
      try {
        r = await serve.call("story/create", { name: `crash ${n++}` });
      } catch {
        return; // the process is gone: this call was never acknowledged
      }
      expect(r.status).toBe(200);
      acked.push((r.body as { id: string }).id);
    }
  };
  const callers = [caller(), caller(), caller()];
  await new Promise((r) => setTimeout(r, killAfterMs));
  serve.proc.kill("SIGKILL");
  await Promise.all(callers);
  await serve.stop();
  return acked;
}

describe("store: kill -9 during writes", () => {
  it(`keeps every acknowledged create across ${ROUNDS} SIGKILLs and the file stays intact`, async () => {
    let dataDir: string | undefined;
    const acked: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const serve = await startServe(dataDir ? { dataDir } : {});
      dataDir = serve.dataDir;
      const present = await storyIds(serve);
      const lost = acked.filter((id) => !present.has(id));
      expect(lost, `round ${round}: acknowledged creates lost`).toEqual([]);
      acked.push(...(await createUntilKilled(serve, 40 + Math.random() * 260)));
      expect(integrity(join(dataDir, "musher.db")), `round ${round}`).toBe("ok");
    }
    const last = await startServe({ dataDir: dataDir! });
    try {
      const present = await storyIds(last);
      expect(acked.filter((id) => !present.has(id))).toEqual([]);
      expect(acked.length).toBeGreaterThan(ROUNDS);
    } finally {
      expect(await last.stop()).toBe(0);
    }
  }, 120_000);
});
