// `npm run bench`: runs every benchmark in bench/ (or those named on the
// command line) one after another, each in its own process so one cannot
// warm or pollute another. Each benchmark prints its own figures and ends
// with one JSON line per measurement.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wanted = process.argv.slice(2);
const benches = readdirSync(join(root, "bench"))
  .filter((f) => f.endsWith(".bench.ts") || /^[a-z][A-Za-z]+\.ts$/.test(f))
  .filter((f) => !f.endsWith(".test.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n== ${file}\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench", file)], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench ${file} failed (${r.status ?? r.signal})\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
