/**
 * Electron entry (built to out/main/index.js, ESM). Thin: it wires the node
 * (`createNode`) to windows and IPC and owns the app lifecycle, nothing else.
 *
 * Order matters: userData is fixed before the single-instance lock (the lock
 * lives in it); security policy and IPC exist before the first window loads;
 * the node is closed before the process quits. The store opens with the
 * better-sqlite3 build for Electron's ABI (chooseSqliteBinding); any failure
 * to start is ONE dialog (describeStartupFailure), then a non-zero exit —
 * before any window exists, so never a blank one.
 */
import { fileURLToPath } from "node:url";
import { app, dialog, Menu, type BrowserWindow } from "electron";
import { createNode, type MusherNode } from "../node/createNode";
import { createLogger } from "../base/Logger";
import { applySecurityPolicy } from "./applySecurityPolicy";
import { chooseSqliteBinding, electronBuildPath, SQLITE_BINDING_ENV } from "./chooseSqliteBinding";
import { closeNodeBeforeQuit } from "./closeNodeBeforeQuit";
import { createAppMenu } from "./createAppMenu";
import { createMainWindow } from "./createMainWindow";
import { describeStartupFailure } from "./describeStartupFailure";
import { readPackageVersion } from "./readPackageVersion";
import { registerIpc } from "./registerIpc";
import { resolveRendererSource } from "./resolveRendererSource";
import { userDataOverride } from "./userDataOverride";

const log = createLogger({ base: { host: "electron" } });
const preloadPath = fileURLToPath(new URL("../preload/index.cjs", import.meta.url));
const rendererIndexPath = fileURLToPath(new URL("../renderer/index.html", import.meta.url));

async function start(): Promise<void> {
  const source = resolveRendererSource({
    isPackaged: app.isPackaged,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    indexPath: rendererIndexPath,
  });
  const windows = new Set<BrowserWindow>();

  const openWindow = (): BrowserWindow => {
    const window = createMainWindow({ source, preloadPath, log });
    windows.add(window);
    window.on("closed", () => windows.delete(window));
    return window;
  };
  const focusWindow = (): void => {
    const [window] = windows;
    if (!window) return void openWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  };

  app.on("second-instance", focusWindow);
  app.on("window-all-closed", () => {
    if (process.platform !== "darwin") app.quit();
  });

  await app.whenReady();
  applySecurityPolicy(source, log);
  Menu.setApplicationMenu(createAppMenu(process.platform, app.isPackaged));

  const sqlite = chooseSqliteBinding({
    isPackaged: app.isPackaged,
    envPath: process.env[SQLITE_BINDING_ENV],
    conventionalPath: () =>
      electronBuildPath({
        appPath: app.getAppPath(),
        electronVersion: process.versions.electron,
        betterSqlite3Version: readPackageVersion(app.getAppPath(), "better-sqlite3"),
        platform: process.platform,
        arch: process.arch,
      }),
  });
  const node: MusherNode = await createNode({
    dataDir: app.getPath("userData"),
    host: "electron",
    log,
    ...(sqlite.kind === "file" ? { sqliteBinding: sqlite.path } : {}),
  });
  closeNodeBeforeQuit(node);
  registerIpc({ node, source, windows: () => windows });
  log.info("node started", {
    nodeId: node.info.nodeId,
    version: node.info.version,
    renderer: source.kind,
    sqlite: sqlite.kind === "file" ? { from: sqlite.from, path: sqlite.path } : "bundled",
  });

  app.on("activate", () => {
    if (windows.size === 0) openWindow();
  });
  openWindow();
}

function main(): void {
  app.enableSandbox();
  try {
    const userData = userDataOverride(process.env);
    if (userData !== null) app.setPath("userData", userData);
  } catch (err) {
    log.error("bad data directory", { err });
    app.exit(2);
    return;
  }

  // A second launch hands its focus request to the first instance and exits.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  start().catch((err: unknown) => {
    log.error("Musher failed to start", { err });
    const failure = describeStartupFailure(err, { isPackaged: app.isPackaged, electronVersion: process.versions.electron });
    // Before "ready" Electron prints it to stderr instead (Linux) — still one message.
    dialog.showErrorBox(failure.title, failure.message);
    app.exit(1);
  });
}

main();
