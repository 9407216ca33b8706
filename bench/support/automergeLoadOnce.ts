/**
 * Child process of the fresh-device benchmark: Automerge loading the saved
 * board once, in a process of its own, as the device joins in one: both
 * sides measured cold (the first load in a process runs Automerge's wasm
 * before V8 has optimized it; a second load in the same process took ~0.8 s
 * against ~2 s). The clock covers `load` and reading every story, after the
 * import. Prints `{"ms":n,"stories":m}`.
 *
 * Run: node --import tsx bench/support/automergeLoadOnce.ts <document file>
 */
import { readFileSync } from "node:fs";
import * as Automerge from "@automerge/automerge";

const file = process.argv[2];
if (!file) throw new Error("usage: automergeLoadOnce <document file>");
const doc = Uint8Array.from(readFileSync(file));
const start = performance.now();
const loaded = Automerge.load<{ s: Record<string, Record<string, unknown>> }>(doc);
let stories = 0;
for (const bucket of Object.values(loaded.s)) stories += Object.keys(bucket).length;
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ ms, stories })}\n`);
