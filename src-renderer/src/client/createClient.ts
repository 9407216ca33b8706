/**
 * Picks the transport once, at start: the Electron preload's `window.musher`
 * when present (IPC), otherwise HTTP + WebSocket to the page's own origin
 * (the browser host). The rest of the UI only ever sees a `RendererClient`.
 */
import type { MusherBridge } from "../../../src-shared/MusherBridge";
import { createBridgeClient } from "./bridgeClient";
import type { RendererClient } from "./ConnectionSource";
import { createHttpClient } from "./httpClient";

declare global {
  interface Window {
    /** Present only in Electron, exposed by the preload via contextBridge. */
    musher?: MusherBridge;
  }
}

export function createClient(win: Window & typeof globalThis = window): RendererClient {
  if (win.musher) return createBridgeClient(win.musher);
  stripToken(win);
  return createHttpClient({
    baseUrl: win.location.origin,
    fetch: (url, init) => win.fetch(url, init),
    openSocket: (url) => new win.WebSocket(url),
  });
}

/**
 * The host turned `?token=` into a cookie when it served this page; keep the
 * secret out of the address bar, history and anything copied from it.
 */
function stripToken(win: Window & typeof globalThis): void {
  const url = new URL(win.location.href);
  if (!url.searchParams.has("token")) return;
  url.searchParams.delete("token");
  win.history.replaceState(win.history.state, "", url.pathname + url.search + url.hash);
}
