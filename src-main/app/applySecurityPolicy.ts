/**
 * Session- and process-wide hardening, applied once after `ready` and before
 * any window exists, so no web contents ever runs without it:
 * - a Content-Security-Policy header on every response of the default session;
 * - every permission request and check denied (the UI needs none);
 * - for every web contents ever created: no navigation away from the loaded
 *   document, no new windows (https links go to the system browser instead),
 *   no <webview>.
 */
import { app, session, shell, type WebContents } from "electron";
import type { Logger } from "../base/Logger";
import { contentSecurityPolicy } from "./contentSecurityPolicy";
import type { RendererSource } from "./resolveRendererSource";

/** Opens `url` in the system browser if, and only if, it is https. */
function openExternalIfHttps(url: string, log: Logger): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    log.warn("refused to open a malformed URL", { url });
    return;
  }
  if (parsed.protocol !== "https:") {
    log.warn("refused to open a non-https URL", { url: parsed.href });
    return;
  }
  shell.openExternal(parsed.href).catch((err: unknown) => log.warn("could not open link externally", { url: parsed.href, err }));
}

function hardenWebContents(contents: WebContents, log: Logger): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfHttps(url, log);
    return { action: "deny" };
  });
  contents.on("will-navigate", (event) => {
    if (event.isSameDocument) return;
    event.preventDefault();
    openExternalIfHttps(event.url, log);
  });
  contents.on("will-frame-navigate", (event) => {
    // Main-frame navigations are handled by will-navigate; here: sub-frames.
    if (event.isMainFrame || event.isSameDocument) return;
    event.preventDefault();
    log.warn("blocked a sub-frame navigation", { url: event.url });
  });
  contents.on("will-attach-webview", (event) => {
    event.preventDefault();
    log.warn("blocked a <webview>");
  });
}

export function applySecurityPolicy(source: RendererSource, log: Logger): void {
  const csp = contentSecurityPolicy(source);
  const ses = session.defaultSession;

  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Replace, never merge with, whatever policy a response brought along.
      if (name.toLowerCase() !== "content-security-policy") headers[name] = value;
    }
    headers["Content-Security-Policy"] = [csp];
    callback({ responseHeaders: headers });
  });

  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn("denied a permission request", { permission });
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);

  app.on("web-contents-created", (_event, contents) => hardenWebContents(contents, log));
}
