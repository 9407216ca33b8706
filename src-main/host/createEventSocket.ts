/**
 * `/api/events`: pushes the node's events to a browser as JSON text frames.
 * The browser only listens; anything it sends is ignored. A client that
 * stops reading is dropped once its buffer passes a bound (it refetches the
 * board when it reconnects), so one stuck tab cannot grow our memory.
 */
import { WebSocketServer, type WebSocket } from "ws";
import type { MusherNode } from "../node/createNode";
import type { Logger } from "../base/Logger";

const MAX_BUFFERED = 4 * 1024 * 1024;
const PING_MS = 30_000;

export interface EventSocket {
  readonly server: WebSocketServer;
  close(): void;
}

export function createEventSocket(node: MusherNode, log: Logger): EventSocket {
  const server = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on("connection", (ws) => {
    alive.set(ws, true);
    ws.on("pong", () => alive.set(ws, true));
    ws.on("error", (err) => log.warn("event socket error", { err }));
    const unsubscribe = node.subscribe((message) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        log.warn("event client is not reading; dropping it", { buffered: ws.bufferedAmount });
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(message));
    });
    ws.on("close", unsubscribe);
  });

  const timer = setInterval(() => {
    for (const ws of server.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_MS);
  timer.unref();

  return {
    server,
    close: () => {
      clearInterval(timer);
      for (const ws of server.clients) ws.close(1001, "server shutting down");
      server.close();
    },
  };
}
