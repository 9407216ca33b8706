/**
 * The Content-Security-Policy for our renderer. Production allows only the
 * app's own files: no inline script, no eval, no remote connections, no
 * plugins, no <base>, no framing. Dev additionally allows the vite dev
 * server origin and its HMR WebSocket, plus the inline script and <style>
 * tags vite and the React refresh preamble inject — dev only.
 */
import type { RendererSource } from "./resolveRendererSource";

export function contentSecurityPolicy(source: RendererSource): string {
  const dev = source.kind === "dev" ? source : null;
  const devWs = dev ? dev.origin.replace(/^http/, "ws") : "";
  const directives: Array<[string, string[]]> = [
    ["default-src", ["'self'"]],
    ["script-src", dev ? ["'self'", "'unsafe-inline'", dev.origin] : ["'self'"]],
    ["style-src", dev ? ["'self'", "'unsafe-inline'", dev.origin] : ["'self'"]],
    ["img-src", ["'self'", "data:"]],
    ["font-src", ["'self'"]],
    ["connect-src", dev ? ["'self'", dev.origin, devWs] : ["'self'"]],
    ["object-src", ["'none'"]],
    ["base-uri", ["'none'"]],
    ["form-action", ["'none'"]],
    ["frame-ancestors", ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(" ")}`).join("; ");
}
