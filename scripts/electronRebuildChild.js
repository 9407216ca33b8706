/**
 * Child process of scripts/electronNative.js: runs @electron/rebuild's API
 * with the options given as JSON in argv[2]. A separate file (not `node -e`)
 * because @electron/rebuild forks node-gyp workers with our execArgv, and an
 * `--input-type` flag there breaks them. On failure: one line, exit 1.
 */
import { rebuild } from "@electron/rebuild";

try {
  await rebuild(JSON.parse(process.argv[2] ?? "{}"));
} catch (err) {
  process.stderr.write(`@electron/rebuild: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
