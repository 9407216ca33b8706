/**
 * One build for the three Electron bundles plus the headless host.
 * - main: the Electron shell (`src-main/app/main.ts`) and `musher` CLI
 *   (`src-main/host/cli.ts`), both Node-side; the CLI never imports electron.
 * - preload: CommonJS, because a sandboxed preload cannot be an ES module.
 * - renderer: the React UI, served by Electron from disk and by `musher serve`.
 */
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";
import type { Plugin } from "vite";

/**
 * The renderer's CSP meta tag forbids inline scripts and styles, which Vite's
 * dev server needs for hot reload. Drop the tag in dev only; the Electron
 * shell's dev CSP header (src-main/app/contentSecurityPolicy.ts) still applies.
 */
function devOnlyRelaxCsp(): Plugin {
  return {
    name: "musher-dev-relax-csp",
    apply: "serve",
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/i, ""),
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: "out/main",
      rollupOptions: {
        input: {
          index: resolve(__dirname, "src-main/app/main.ts"),
          cli: resolve(__dirname, "src-main/host/cli.ts"),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: "out/preload",
      rollupOptions: {
        input: { index: resolve(__dirname, "src-main/preload/index.ts") },
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, "src-renderer"),
    plugins: [react(), devOnlyRelaxCsp()],
    build: {
      outDir: resolve(__dirname, "out/renderer"),
      // electron-vite leaves bundles unminified; the renderer's parse/compile
      // was the longest task while a board loads (about 1 MB of source).
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, "src-renderer/index.html") } },
    },
  },
});
