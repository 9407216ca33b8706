/**
 * Serves the built renderer. Paths are resolved inside `root` only (no
 * traversal), unknown paths fall back to index.html (a single-page app), and
 * every response carries the same security headers as the Electron window.
 */
import { readFile, stat } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function serveStatic(staticDir: string, urlPath: string, res: ServerResponse): Promise<void> {
  // The containment check below compares absolute paths: `join` drops a leading "./", so a relative root never matched.
  const root = resolve(staticDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    decoded = "/";
  }
  const rel = normalize(decoded).replace(/^([/\\])+/, "");
  let file = join(root, rel);
  if (!(file + sep).startsWith(root.endsWith(sep) ? root : root + sep) || rel.includes("\0")) {
    file = join(root, "index.html");
  }
  if (rel === "" || !(await isFile(file))) file = join(root, "index.html");
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    res.writeHead(503, { "content-type": "text/plain; charset=utf-8", ...SECURITY_HEADERS });
    res.end("The Musher UI is not built. Run `npm run build`, then restart `musher serve`.\n");
    return;
  }
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    ...SECURITY_HEADERS,
  });
  res.end(body);
}
