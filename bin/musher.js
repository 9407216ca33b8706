#!/usr/bin/env node
// The `musher` command: runs the built CLI (electron-vite builds it into out/).
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const cli = fileURLToPath(new URL("../out/main/cli.js", import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write("musher: not built yet. Run `npm run build` (or `npm start`) first.\n");
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
const code = await main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
