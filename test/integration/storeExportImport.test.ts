/**
 * Export / import: a fresh data dir that imports an export holds the same
 * state (same canonicalState); a second import changes nothing; garbage
 * lines are counted as rejected; the CLI round trip works on the built CLI.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createNode, type MusherNode } from "../../src-main/node/createNode";
import { silentLogger } from "../../src-main/base/Logger";
import { runExport } from "../../src-main/host/runExport";
import { runImport } from "../../src-main/host/runImport";
import type { ImportProgressEvent } from "../../src-main/host/ImportProgress";
import { CLI, ROOT } from "../support/startServe";

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), "musher-export-"));
const open = (dataDir: string): Promise<MusherNode> => createNode({ dataDir, host: "embedded", log: silentLogger });

async function populated(): Promise<{ dir: string; state: string; changes: number }> {
  const dir = await tempDir();
  const node = await open(dir);
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const r = await node.call("story/create", { name: `story ${i}`, stage: i % 2 ? "2_current" : "1_backlog" });
    if (r.ok) ids.push((r.value as { id: string }).id);
  }
  for (const id of ids.slice(0, 10)) await node.call("story/move", { id, stage: "3_qa", index: 0 });
  for (const id of ids.slice(5, 12)) await node.call("story/hide", { id });
  await node.call("story/retry", { id: ids[3]! });
  const state = node.replica.canonicalState();
  const changes = node.replica.authorSeqs().get(node.info.nodeId)!;
  await node.close();
  return { dir, state, changes };
}

async function exportToFile(dir: string): Promise<string> {
  let text = "";
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((text += chunk.toString()), done()) });
  const err = new Writable({ write: (_c, _e, done) => done() });
  await runExport(dir, sink, err);
  const file = join(await tempDir(), "export.jsonl");
  writeFileSync(file, text);
  return file;
}

async function stateOf(dir: string): Promise<string> {
  const node = await open(dir);
  try {
    return node.replica.canonicalState();
  } finally {
    await node.close();
  }
}

describe("store: export / import", () => {
  it("round-trips into a fresh data dir; importing twice changes nothing", async () => {
    const source = await populated();
    const file = await exportToFile(source.dir);
    const target = join(await tempDir(), "fresh");
    const progress: ImportProgressEvent[] = [];
    const first = await runImport(target, file, silentLogger, (p) => progress.push(p));
    expect(first).toEqual({ received: source.changes, applied: source.changes, duplicate: 0, pending: 0, rejected: 0 });
    // Progress after every chunk, never going back, ending at the whole file and the report's counts.
    expect(progress.length).toBeGreaterThan(0);
    progress.forEach((p, i) => i > 0 && expect(p.applied).toBeGreaterThanOrEqual(progress[i - 1]!.applied));
    expect(progress.at(-1)).toEqual({ bytesRead: statSync(file).size, bytesTotal: statSync(file).size, received: source.changes, applied: source.changes });
    const state = await stateOf(target);
    expect(state).toBe(source.state);
    const second = await runImport(target, file, silentLogger);
    expect(second).toEqual({ received: source.changes, applied: 0, duplicate: source.changes, pending: 0, rejected: 0 });
    expect(await stateOf(target)).toBe(state);
  });

  it("counts lines that are not valid changes as rejected and refuses another workspace's dir", async () => {
    const source = await populated();
    const file = await exportToFile(source.dir);
    appendFileSync(file, `not json\n{"bytes":"AAAA"}\n`);
    const target = join(await tempDir(), "fresh");
    const r = await runImport(target, file, silentLogger);
    expect(r).toMatchObject({ applied: source.changes, rejected: 2 });
    const other = await tempDir();
    await (await open(other)).close();
    await expect(runImport(other, file, silentLogger)).rejects.toThrow(/holds workspace m_[0-9a-f]+, not m_/); // genesis-founded workspace ids (docs/PROTOCOL.md §Membership)
  });

  it("works through the CLI: musher export > file; musher import --data DIR file", async () => {
    const source = await populated();
    const out = spawnSync(process.execPath, [CLI, "export", "--data", source.dir], { cwd: ROOT, encoding: "utf8" });
    expect(out.status).toBe(0);
    expect(out.stdout.trim().split("\n")).toHaveLength(source.changes + 1);
    const file = join(await tempDir(), "cli.jsonl");
    writeFileSync(file, out.stdout);
    const target = join(await tempDir(), "fresh");
    const imported = spawnSync(process.execPath, [CLI, "import", "--data", target, file], { cwd: ROOT, encoding: "utf8" });
    expect(imported.stdout).toBe(`imported ${file}: ${source.changes} applied, 0 duplicate, 0 pending, 0 rejected\n`);
    expect(imported.stderr).toBe(""); // a short import into a log prints no progress (ImportProgress)
    const again = spawnSync(process.execPath, [CLI, "import", "--data", target, file], { cwd: ROOT, encoding: "utf8" });
    expect(again.stdout).toBe(`imported ${file}: 0 applied, ${source.changes} duplicate, 0 pending, 0 rejected\n`);
    const rebuilt = spawnSync(process.execPath, [CLI, "rebuild", "--data", target, "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(rebuilt.stdout).toMatch(/^replayed \d+ changes, 30 stories: the stored state matches the log\n$/);
    expect(await stateOf(target)).toBe(source.state);
  });
});
