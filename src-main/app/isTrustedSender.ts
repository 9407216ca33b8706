/**
 * Decides whether an IPC message (or an event we are about to push) comes
 * from / goes to our own UI. Pure: the Electron-facing caller gathers the
 * facts, so the rule is unit-tested without Electron.
 *
 * Trusted means all of: the frame belongs to one of our windows, it is that
 * window's main frame (never a sub-frame), and its URL is our renderer —
 * the exact built index.html for `file`, the dev server's origin for `dev`.
 * Query and fragment are ignored (in-app routing may use them).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { RendererSource } from "./resolveRendererSource";

export interface SenderFacts {
  /** The sending frame's URL; null when the frame is gone (navigated or destroyed). */
  frameUrl: string | null;
  isMainFrame: boolean;
  isOurWindow: boolean;
}

function samePath(a: string, b: string, platform: NodeJS.Platform): boolean {
  const [x, y] = [resolve(a), resolve(b)];
  return platform === "win32" ? x.toLowerCase() === y.toLowerCase() : x === y;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function isTrustedUrl(url: string, source: RendererSource, platform: NodeJS.Platform = process.platform): boolean {
  const parsed = parseUrl(url);
  if (parsed === null) return false;
  if (source.kind === "dev") {
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.origin === source.origin;
  }
  if (parsed.protocol !== "file:" || (parsed.host !== "" && parsed.host !== "localhost")) return false;
  parsed.search = "";
  parsed.hash = "";
  try {
    return samePath(fileURLToPath(parsed), source.indexPath, platform);
  } catch {
    return false;
  }
}

export function isTrustedSender(facts: SenderFacts, source: RendererSource): boolean {
  return facts.isOurWindow && facts.isMainFrame && facts.frameUrl !== null && isTrustedUrl(facts.frameUrl, source);
}
