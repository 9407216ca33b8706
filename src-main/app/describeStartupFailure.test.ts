import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createNode } from "../node/createNode";
import { silentLogger } from "../base/Logger";
import { StoreError } from "../store/StoreError";
import { describeStartupFailure, REBUILD_ELECTRON_COMMAND } from "./describeStartupFailure";

const dir = mkdtempSync(join(tmpdir(), "musher-startup-failure-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error the real store-opening path throws for a module that cannot load. */
async function loadFailure(sqliteBinding: string): Promise<unknown> {
  return createNode({ dataDir: join(dir, "data"), host: "electron", log: silentLogger, sqliteBinding }).then(
    () => {
      throw new Error("the node started");
    },
    (err: unknown) => err,
  );
}

describe("describeStartupFailure", () => {
  it("turns a native module that cannot load into what is wrong plus the one command that fixes it", async () => {
    const fake = join(dir, "x.node");
    writeFileSync(fake, "not a shared library\n".repeat(64));
    const failure = describeStartupFailure(await loadFailure(fake), { isPackaged: false, electronVersion: "45.4.1" });
    expect(failure.title).toBe("Musher cannot open its database");
    expect(failure.message.startsWith(`SQLite's native module ${fake} is not a native module for this platform (`)).toBe(true);
    expect(failure.message).toContain("better-sqlite3 built for Electron 45.4.1");
    expect(failure.message).toContain(`\n\n    ${REBUILD_ELECTRON_COMMAND}\n\n`);
    expect(failure.message.split(REBUILD_ELECTRON_COMMAND)).toHaveLength(2);
    expect(failure.message).not.toMatch(/\n\s+at /);
  });

  it("says the build is missing when it is", async () => {
    const missing = join(dir, "never-built", "better_sqlite3.node");
    const failure = describeStartupFailure(await loadFailure(missing), { isPackaged: false, electronVersion: "45.4.1" });
    expect(failure.message.startsWith(`SQLite's native module ${missing} does not exist.\n\n`)).toBe(true);
    expect(failure.message).toContain(REBUILD_ELECTRON_COMMAND);
  });

  it("tells the user of a packaged app to reinstall, not to run npm", () => {
    const failure = describeStartupFailure(new StoreError("native_binding", "SQLite's native module /opt/Musher/x.node does not exist."), {
      isPackaged: true,
      electronVersion: "45.4.1",
    });
    expect(failure.message).toBe("SQLite's native module /opt/Musher/x.node does not exist.\n\nThis installation of Musher is damaged: reinstall it.");
    expect(failure.message).not.toContain("npm");
  });

  it("keeps other failures' own message, without a stack", () => {
    const err = new StoreError("too_new", "/d/musher.db was written by a newer Musher (schema v9; this build reads up to v3). Upgrade Musher to open it; the file was not modified.");
    expect(describeStartupFailure(err, { isPackaged: false, electronVersion: "45.4.1" })).toEqual({ title: "Musher failed to start", message: err.message });
    const plain = new Error("boom");
    plain.stack = "Error: boom\n    at start (main.js:1:1)";
    expect(describeStartupFailure(plain, { isPackaged: false, electronVersion: "45.4.1" }).message).toBe("boom");
    expect(describeStartupFailure(new Error(`first\n    at x (y.js:1:1)\n    at z`), { isPackaged: false, electronVersion: "45.4.1" }).message).toBe("first");
    expect(describeStartupFailure("x".repeat(5_000), { isPackaged: false, electronVersion: "45.4.1" }).message.length).toBeLessThanOrEqual(600);
  });
});
