/**
 * The real Electron app (built out/, unpackaged) driven by Playwright:
 * the window shows the board, the renderer is isolated (only
 * `window.musher`, no `require`, no `process`), and the contract works end
 * to end over IPC — calls, typed errors and push events.
 *
 * Runs only where Electron's binary is installed; elsewhere it is reported
 * as skipped with the reason. Each run gets its own userData directory
 * (MUSHER_USER_DATA), which also gives it its own single-instance lock.
 * Like `npm start`, it first makes sure better-sqlite3 is built for
 * Electron's ABI (scripts/electronNative.js; a build that cannot be made
 * fails the run with the reason) and passes it as MUSHER_SQLITE_BINDING.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { _electron as electron, expect, test, type ElectronApplication, type Page } from "@playwright/test";
import { boardSchema } from "../src-shared/Board";
import { methodNames, type EventMessage } from "../src-shared/contract";
import type { MusherBridge } from "../src-shared/MusherBridge";
import { STAGES } from "../src-shared/stages";
import { ensureElectronNative, SQLITE_BINDING_ENV } from "../scripts/electronNative.js";
import { hasElectronBinary } from "./hasElectronBinary";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const binary = hasElectronBinary(repoRoot);

test.skip(!binary.ok, `Electron binary not installed: ${binary.ok ? "" : binary.reason}`);
// Say why in the run's output too, not only in the report's annotations.
if (!binary.ok) process.stdout.write(`electron e2e skipped: Electron binary not installed: ${binary.reason}\n`);

/** What the renderer's global object looks like from the tests' side (no DOM lib here). */
type RendererGlobal = {
  musher?: MusherBridge;
  require?: unknown;
  process?: unknown;
  location: { href: string };
  open: (url: string) => unknown;
};

let app: ElectronApplication;
let page: Page;
let userData: string;
let electronSqlite: string;

test.beforeAll(async () => {
  if (!binary.ok) return;
  if (!existsSync(join(repoRoot, "out", "main", "index.js"))) {
    throw new Error("out/main/index.js is missing: run `npm run build` before the Electron e2e");
  }
  // A first build compiles SQLite from source: minutes, not the 60 s of a test.
  test.setTimeout(20 * 60_000);
  const native = await ensureElectronNative(repoRoot, { log: (line) => process.stdout.write(`electron e2e: ${line}\n`) });
  if (!native.ok) throw new Error(`better-sqlite3 could not be built for Electron: ${native.reason} (then run \`npm run rebuild:electron\`)`);
  electronSqlite = native.file;
  userData = mkdtempSync(join(tmpdir(), "musher-electron-e2e-"));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "ELECTRON_RUN_AS_NODE") env[k] = v;
  env["MUSHER_USER_DATA"] = userData;
  env[SQLITE_BINDING_ENV] = electronSqlite;
  // Chromium refuses to start its OS sandbox as root (containers, CI).
  const args = process.getuid?.() === 0 ? ["--no-sandbox", repoRoot] : [repoRoot];
  app = await electron.launch({ executablePath: binary.executablePath, args, env, cwd: repoRoot });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

test("shows the six columns of the board", async () => {
  for (const stage of STAGES) {
    await expect(page.getByTestId(`column-${stage.id}`)).toBeVisible();
  }
});

test("creates a story through the window and shows it in Backlog", async () => {
  await page.getByTestId("new-story-input").fill("Desktop story");
  await page.getByTestId("new-story-submit").click();
  await expect(page.getByTestId("column-1_backlog")).toContainText("Desktop story");
});

test("runs SQLite from the Electron build of better-sqlite3, not the Node one", async () => {
  test.skip(process.platform !== "linux", "reads the main process's /proc/<pid>/maps");
  const pid = app.process().pid;
  if (pid === undefined) throw new Error("the Electron main process has no pid");
  const maps = readFileSync(`/proc/${pid}/maps`, "utf8");
  expect(maps).toContain(realpathSync(electronSqlite));
  expect(maps).not.toContain(join("better-sqlite3", "build", "Release", "better_sqlite3.node"));
});

test("exposes only window.musher to the renderer", async () => {
  const seen = await page.evaluate(() => {
    const g = globalThis as unknown as RendererGlobal;
    return {
      musher: typeof g.musher,
      methods: g.musher ? Object.keys(g.musher.methods).sort() : [],
      require: typeof g.require,
      process: typeof g.process,
    };
  });
  expect(seen).toEqual({
    musher: "object",
    methods: [...methodNames].sort(),
    require: "undefined",
    process: "undefined",
  });
});

test("creates a story over IPC and reads it back from the board", async () => {
  const { created, board } = await page.evaluate(async () => {
    const musher = (globalThis as unknown as RendererGlobal).musher!;
    const created = await musher.methods["story/create"]({ name: "x" });
    const board = await musher.methods["board/get"]({});
    return { created, board };
  });
  expect(created.ok).toBe(true);
  expect(board.ok).toBe(true);
  if (!created.ok || !board.ok) return;
  const stories = boardSchema.parse(board.value).stories;
  expect(stories.find((s) => s.id === created.value.id)?.name).toBe("x");
});

test("answers invalid input with a typed error, not a crash", async () => {
  const result = await page.evaluate(async () => {
    const musher = (globalThis as unknown as RendererGlobal).musher!;
    // Deliberately wrong input, as a compromised or buggy renderer might send.
    return musher.methods["story/create"]({ name: 42 } as unknown as { name: string });
  });
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error.code).toBe("invalid_input");
});

test("pushes board/changed events to the window", async () => {
  const message = await page.evaluate(
    () =>
      new Promise<EventMessage>((resolve, reject) => {
        const musher = (globalThis as unknown as RendererGlobal).musher!;
        const timer = setTimeout(() => reject(new Error("no event within 5 s")), 5_000);
        const unsubscribe = musher.subscribe((m) => {
          clearTimeout(timer);
          unsubscribe();
          resolve(m);
        });
        void musher.methods["story/create"]({ name: "evented" });
      }),
  );
  expect(message.event).toBe("board/changed");
});

test("refuses navigation away from the app and new windows", async () => {
  const before = page.url();
  const opened = await page.evaluate(() => {
    const g = globalThis as unknown as RendererGlobal;
    const handle = g.open("https://example.com/");
    g.location.href = "https://example.com/";
    return handle === null;
  });
  expect(opened).toBe(true);
  await page.waitForTimeout(500);
  expect(page.url()).toBe(before);
  expect(app.windows()).toHaveLength(1);
});
