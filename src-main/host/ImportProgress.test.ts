import { describe, expect, it } from "vitest";
import { ImportProgress, LOG_INTERVAL_MS, TTY_INTERVAL_MS, type ImportProgressEvent } from "./ImportProgress";

const at = (bytesRead: number, applied: number): ImportProgressEvent => ({ bytesRead, bytesTotal: 4_000, received: applied, applied });

function fake(isTTY: boolean): { out: { isTTY: boolean; write: (t: string) => void }; written: string[]; clock: { t: number } } {
  const written: string[] = [];
  return { out: { isTTY, write: (t) => written.push(t) }, written, clock: { t: 1_000 } };
}

describe("ImportProgress", () => {
  it("describes how far the import is: bytes read as a percentage, and the counts", () => {
    expect(ImportProgress.line("/tmp/x/export.jsonl", { bytesRead: 1_000, bytesTotal: 4_000, received: 12_345, applied: 12_000 })).toBe(
      "importing export.jsonl: 25% read, 12,345 changes received, 12,000 applied",
    );
    // An empty file, or a read buffer past the end: never a division by zero or more than 100%.
    expect(ImportProgress.line("e.jsonl", { bytesRead: 0, bytesTotal: 0, received: 0, applied: 0 })).toMatch(/: 100% read/);
    expect(ImportProgress.line("e.jsonl", { bytesRead: 9, bytesTotal: 4, received: 1, applied: 1 })).toMatch(/: 100% read/);
  });

  it("on a terminal rewrites one line, at most every TTY_INTERVAL_MS, and erases it at the end", () => {
    const { out, written, clock } = fake(true);
    const progress = new ImportProgress("f.jsonl", out, () => clock.t);
    progress.update(at(100, 10));
    clock.t += TTY_INTERVAL_MS - 1;
    progress.update(at(200, 20)); // too soon: skipped
    clock.t += 1;
    progress.update(at(300, 30));
    progress.done();
    expect(written).toEqual([
      "\rimporting f.jsonl: 2% read, 10 changes received, 10 applied\u001b[K",
      "\rimporting f.jsonl: 7% read, 30 changes received, 30 applied\u001b[K",
      "\r\u001b[K",
    ]);
  });

  it("in a log prints nothing for a short import, then a whole line every LOG_INTERVAL_MS, and leaves them", () => {
    const { out, written, clock } = fake(false);
    const progress = new ImportProgress("f.jsonl", out, () => clock.t);
    for (let k = 1; k * 250 < LOG_INTERVAL_MS; k++) {
      clock.t = 1_000 + k * 250;
      progress.update(at(k, k));
    }
    expect(written).toEqual([]);
    clock.t = 1_000 + LOG_INTERVAL_MS;
    progress.update(at(2_000, 500));
    clock.t += LOG_INTERVAL_MS - 1;
    progress.update(at(3_000, 700)); // too soon
    clock.t += 1;
    progress.update(at(4_000, 900));
    progress.done();
    expect(written).toEqual(["importing f.jsonl: 50% read, 500 changes received, 500 applied\n", "importing f.jsonl: 100% read, 900 changes received, 900 applied\n"]);
  });

  it("erases nothing on a terminal when it never showed a line", () => {
    const { out, written } = fake(true);
    new ImportProgress("f.jsonl", out, () => 0).done();
    expect(written).toEqual([]);
  });
});
