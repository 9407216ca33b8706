/**
 * The Electron IPC transport: one `ipcMain.handle` per contract method (no
 * generic channel), and node events pushed to our windows.
 *
 * Invariants:
 * - Every handler checks the sender before anything else (main frame of one
 *   of our windows, showing our renderer); a refusal is an `unauthorized`
 *   CallResult and a log line, never a throw.
 * - A handler returns `node.dispatch(...)`, which never throws, so the renderer
 *   always receives a CallResult value.
 * - The input is passed through untouched: the node validates it against
 *   the contract's zod schema (the trust boundary is the node's `call`).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from "electron";
import type { CallResult } from "../../src-shared/CallResult";
import { methodNames } from "../../src-shared/contract";
import { IPC_EVENT_CHANNEL, ipcChannelFor } from "../../src-shared/MusherBridge";
import type { MusherNode } from "../node/createNode";
import { isTrustedSender, isTrustedUrl } from "./isTrustedSender";
import type { RendererSource } from "./resolveRendererSource";

export interface IpcOptions {
  node: MusherNode;
  source: RendererSource;
  /** The windows we own; IPC from anything else is refused. */
  windows: () => Iterable<BrowserWindow>;
}

function isOurWindow(event: IpcMainInvokeEvent, windows: Iterable<BrowserWindow>): boolean {
  for (const w of windows) {
    if (!w.isDestroyed() && w.webContents === event.sender) return true;
  }
  return false;
}

/** Registers the handlers and the event forwarding; returns their teardown. */
export function registerIpc(options: IpcOptions): () => void {
  const { node, source, windows } = options;
  const log = node.log.child({ transport: "ipc" });

  for (const method of methodNames) {
    ipcMain.handle(ipcChannelFor(method), async (event, input: unknown): Promise<CallResult<unknown>> => {
      const frame = event.senderFrame;
      const facts = {
        frameUrl: frame?.url ?? null,
        isMainFrame: frame !== null && frame.parent === null && frame === event.sender.mainFrame,
        isOurWindow: isOurWindow(event, windows()),
      };
      if (!isTrustedSender(facts, source)) {
        log.warn("refused an IPC call from an untrusted sender", { method, ...facts });
        return { ok: false, error: { code: "unauthorized", message: "this frame may not call the Musher API" } };
      }
      return node.dispatch(method, input);
    });
  }

  const unsubscribe = node.subscribe((message) => {
    for (const w of windows()) {
      if (w.isDestroyed() || w.webContents.isDestroyed()) continue;
      // Push only to a window still showing our UI (navigation is blocked,
      // this is the second fence).
      if (!isTrustedUrl(w.webContents.mainFrame.url, source)) continue;
      w.webContents.send(IPC_EVENT_CHANNEL, message);
    }
  });

  return () => {
    unsubscribe();
    for (const method of methodNames) ipcMain.removeHandler(ipcChannelFor(method));
  };
}
