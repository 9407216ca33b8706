/**
 * The store opens with the native module its host chooses (createNode's
 * `sqliteBinding`), and one that cannot load is refused with one clear
 * StoreError before anything is written — through the real createNode →
 * openNodeStore → openDatabase path. Without a choice the node uses
 * better-sqlite3's own build (the Node one `npm ci` made).
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createNode } from "../../src-main/node/createNode";
import { silentLogger } from "../../src-main/base/Logger";
import { StoreError } from "../../src-main/store/StoreError";
import { startServe } from "../support/startServe";

const root = mkdtempSync(join(tmpdir(), "musher-native-binding-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const nodeBuild = createRequire(import.meta.url).resolve("better-sqlite3/build/Release/better_sqlite3.node");

async function refusedWith(sqliteBinding: string, dataDir: string | null): Promise<StoreError> {
  const error = await createNode({ dataDir, host: "embedded", log: silentLogger, sqliteBinding }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).kind).toBe("native_binding");
  return error as StoreError;
}

describe("createNode with a chosen SQLite native module", () => {
  it("opens, writes and reopens a data dir with the module it is given", async () => {
    const dataDir = join(root, "given");
    const node = await createNode({ dataDir, host: "embedded", log: silentLogger, sqliteBinding: nodeBuild });
    const created = await node.call("story/create", { name: "kept" });
    expect(created.ok).toBe(true);
    await node.close();
    // The same file, reopened with the default build: one database either way.
    const again = await createNode({ dataDir, host: "embedded", log: silentLogger });
    const board = await again.call("board/get", {});
    await again.close();
    expect(board.ok && JSON.stringify(board.value)).toContain('"kept"');
  });

  it("refuses a module that cannot load, says why, and creates nothing", async () => {
    const fake = join(root, "x.node");
    writeFileSync(fake, "plain text, not a shared library\n".repeat(64));
    const dataDir = join(root, "never-made");
    const { message } = await refusedWith(fake, dataDir);
    expect(message.startsWith(`SQLite's native module ${fake} is not a native module for this platform (`)).toBe(true);
    expect(message).not.toMatch(/\n|\bat /);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("refuses a missing module, also for an in-memory node", async () => {
    const missing = join(root, "gone", "better_sqlite3.node");
    expect((await refusedWith(missing, join(root, "also-never"))).message).toBe(`SQLite's native module ${missing} does not exist.`);
    expect((await refusedWith(missing, null)).message).toBe(`SQLite's native module ${missing} does not exist.`);
    expect(existsSync(join(root, "also-never"))).toBe(false);
  });
});

describe("musher serve", () => {
  it.skipIf(process.platform !== "linux")("runs on better-sqlite3's Node build, even with the desktop's variable set", async () => {
    // Inherited by the child: the headless host must not read the Electron shell's choice.
    process.env["MUSHER_SQLITE_BINDING"] = join(root, "x.node");
    let serve;
    try {
      serve = await startServe();
    } finally {
      delete process.env["MUSHER_SQLITE_BINDING"];
    }
    try {
      expect((await serve.call("story/create", { name: "on node" })).status).toBe(200);
      const maps = readFileSync(`/proc/${serve.proc.pid}/maps`, "utf8");
      expect(maps).toContain(realpathSync(nodeBuild));
      expect(maps).not.toContain(".musher-electron");
    } finally {
      await serve.stop();
    }
  });
});
