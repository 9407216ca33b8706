/**
 * Preload (sandboxed, CommonJS): exposes the contract as `window.musher` and
 * nothing else. A sandboxed preload may only require "electron" (and a few
 * Node built-ins), so this bundle must stay free of zod and any other
 * package: it imports only zod-free modules from src-shared.
 */
import { contextBridge, ipcRenderer } from "electron";
import type { MusherBridge } from "../../src-shared/MusherBridge";
import { createBridge } from "./createBridge";

const bridge: MusherBridge = createBridge(ipcRenderer);

contextBridge.exposeInMainWorld("musher", bridge);
