/**
 * The browser host's HTTP surface, a thin transport over the node:
 *   GET  /?token=T        → sets the token cookie, redirects to /
 *   GET  /...             → the built renderer (token required)
 *   POST /api/<method>    → the contract, JSON in and out
 *   WS   /api/events      → push events
 * plus any WebSocket routes registered by other subsystems (sync).
 * Every request is authenticated before anything else looks at it, and every
 * failure is a typed JSON error; nothing a client sends can crash the host.
 * A response sent before the request body was read to its end (401, 413,
 * 405, ...) closes the connection: the rest of the body is never read.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { ApiFailure, type ApiError } from "../../src-shared/ApiError";
import type { MusherNode } from "../node/createNode";
import type { Logger } from "../base/Logger";
import { createEventSocket } from "./createEventSocket";
import { httpStatusFor } from "./httpStatusFor";
import { readJsonBody } from "./readJsonBody";
import { SECURITY_HEADERS, serveStatic } from "./serveStatic";
import { TokenGate, tokenCookieName } from "./TokenGate";

const MAX_BODY = 1024 * 1024;

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface HttpHostOptions {
  node: MusherNode;
  token: string;
  staticDir: string;
  log: Logger;
  /** Extra WebSocket endpoints by path (authenticated by their own protocol). */
  upgrades?: Map<string, UpgradeHandler>;
}

export interface HttpHost {
  readonly server: Server;
  listen(port: number, host: string): Promise<{ port: number }>;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    ...SECURITY_HEADERS,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, httpStatusFor(error.code), error);
}

/** Browsers send Origin on cross-site requests; ours must match the Host we serve. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** How long a refused request's unread body may keep arriving after our response (then the socket is destroyed). */
const LINGER_MS = 500;

/**
 * Node would otherwise read (and discard) the rest of a refused request's
 * body to keep the connection alive — however long it is. We end our side
 * after the response and destroy the socket shortly after: destroying it at
 * once, with the client's bytes still unread, makes the kernel answer with a
 * reset that can reach the client before it read our 413/401. (So no
 * `Connection: close` header either: with it Node destroys the socket as
 * soon as the response is written — the same reset.)
 */
function closeUnread(req: IncomingMessage, res: ServerResponse): void {
  res.once("finish", () => {
    if (req.complete) return;
    const socket = req.socket;
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}

export function createHttpHost(options: HttpHostOptions): HttpHost {
  const { node, staticDir, log } = options;
  const gate = new TokenGate(options.token, tokenCookieName(node.info.nodeId));
  const events = createEventSocket(node, log);
  const upgrades = options.upgrades ?? new Map<string, UpgradeHandler>();

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      sendJson(res, 405, { code: "invalid_input", message: "use POST for API calls" });
      return;
    }
    const type = req.headers["content-type"] ?? "";
    if (type !== "" && !type.toLowerCase().startsWith("application/json")) {
      sendError(res, { code: "invalid_input", message: "send the input as application/json" });
      return;
    }
    const input = await readJsonBody(req, MAX_BODY);
    const result = await node.dispatch(method, input);
    if (result.ok) sendJson(res, 200, result.value);
    else sendError(res, result.error);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/" && req.method === "GET" && url.searchParams.has("token")) {
      if (!gate.matches(url.searchParams.get("token"))) {
        sendError(res, { code: "unauthorized", message: "wrong token" });
        return;
      }
      // Trade the link's token for a cookie, and take it out of the address bar.
      res.writeHead(303, { location: "/", "set-cookie": gate.cookieHeader(), ...SECURITY_HEADERS });
      res.end();
      return;
    }
    const auth = gate.check(req);
    if (auth === null) {
      sendError(res, {
        code: "unauthorized",
        message: "missing or wrong token: open the link `musher serve` printed, or send Authorization: Bearer <token>",
      });
      return;
    }
    if (url.pathname.startsWith("/api/")) {
      if (auth === "cookie" && !sameOrigin(req)) {
        sendError(res, { code: "unauthorized", message: "cross-origin request refused" });
        return;
      }
      await handleApi(req, res, url.pathname.slice("/api/".length));
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(res, 405, { code: "invalid_input", message: "method not allowed" });
      return;
    }
    await serveStatic(staticDir, url.pathname, res);
  };

  const server = createServer((req, res) => {
    closeUnread(req, res);
    handle(req, res).catch((err: unknown) => {
      if (err instanceof ApiFailure) {
        if (!res.headersSent) sendError(res, err.toJSON());
        else res.destroy();
        return;
      }
      log.error("http request failed", { err, url: req.url });
      if (!res.headersSent) sendError(res, { code: "internal", message: "request failed; see the node's log" });
      else res.destroy();
    });
  });

  server.on("upgrade", (req, socket, head) => {
    socket.on("error", (err) => log.warn("upgrade socket error", { err }));
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const extra = upgrades.get(path);
    if (extra) {
      extra(req, socket, head);
      return;
    }
    if (path !== "/api/events" || gate.check(req) === null || !sameOrigin(req)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    events.server.handleUpgrade(req, socket, head, (ws) => events.server.emit("connection", ws, req));
  });
  server.on("clientError", (err, socket) => {
    log.debug("http client error", { err });
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
  });

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const addr = server.address();
          resolve({ port: typeof addr === "object" && addr ? addr.port : port });
        });
      }),
    close: async () => {
      events.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
