/**
 * The client for the browser host (`musher serve`): calls over HTTP on the
 * page's own origin, events over a same-origin WebSocket. Auth rides on the
 * cookie the host set when the page was opened with `?token=`.
 */
import type { RendererClient } from "./ConnectionSource";
import { EventListeners } from "./EventListeners";
import { EventSocket, type SocketLike } from "./EventSocket";
import { httpCall, type FetchLike } from "./httpCall";

export interface HttpClientOptions {
  /** Origin such as `http://127.0.0.1:4100` (no trailing slash). */
  baseUrl: string;
  fetch: FetchLike;
  openSocket: (url: string) => SocketLike;
}

export function createHttpClient(options: HttpClientOptions): RendererClient {
  const listeners = new EventListeners();
  const socket = new EventSocket({
    url: eventsUrl(options.baseUrl),
    open: options.openSocket,
    onEvent: (message) => listeners.emit(message),
  });
  socket.start();
  return {
    connection: socket,
    call: (method, input) => httpCall(options.fetch, options.baseUrl, method, input),
    on: (event, listener) => listeners.add(event, listener),
    close: () => socket.close(),
  };
}

/** `http:` → `ws:`, `https:` → `wss:`, same host and port. */
export function eventsUrl(baseUrl: string): string {
  const url = new URL("/api/events", baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}
