/**
 * The app's one window. Its renderer is isolated from Node and Electron:
 * context isolation, the Chromium sandbox, no Node integration, web security
 * on, no <webview>. All it can reach is what the preload exposes on
 * `window.musher`.
 */
import { BrowserWindow } from "electron";
import type { Logger } from "../base/Logger";
import type { RendererSource } from "./resolveRendererSource";

export interface MainWindowOptions {
  source: RendererSource;
  /** Absolute path of the built preload bundle (`out/preload/index.cjs`). */
  preloadPath: string;
  log: Logger;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { source, preloadPath, log } = options;
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: "Musher",
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });

  window.once("ready-to-show", () => window.show());
  window.webContents.on("render-process-gone", (_event, details) => {
    log.error("renderer process gone", { reason: details.reason, exitCode: details.exitCode });
  });

  const loaded = source.kind === "dev" ? window.loadURL(source.url) : window.loadFile(source.indexPath);
  loaded.catch((err: unknown) => log.error("could not load the UI", { source: source.kind, err }));
  return window;
}
