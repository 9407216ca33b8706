/**
 * Packaging cannot run here (no Electron binary), so the settings the
 * packaged app's SQLite depends on are held in place by reading the config:
 * electron-builder rebuilds native modules for Electron (npmRebuild), keeps
 * every .node file outside the asar (asarUnpack), and never ships the
 * development build under node_modules/.musher-electron — the packaged app
 * uses electron-builder's build (chooseSqliteBinding.test.ts: packaged →
 * "bundled").
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/startServe";

/** Top-level `key: value` lines and `key:` lists of a flat YAML file, comments dropped. */
function topLevel(yaml: string): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  let list: string[] | null = null;
  for (const raw of yaml.split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").replace(/^#.*$/, "");
    if (line.trim() === "") continue;
    const item = /^\s+-\s+(.+)$/.exec(line);
    if (item && list) {
      list.push(item[1]!.replace(/^"(.*)"$/, "$1"));
      continue;
    }
    const entry = /^([A-Za-z]\w*):\s*(.*)$/.exec(line);
    if (entry) {
      list = entry[2] === "" ? [] : null;
      out.set(entry[1]!, list ?? entry[2]!);
    } else {
      list = null;
    }
  }
  return out;
}

describe("build/electron-builder.yml", () => {
  const config = topLevel(readFileSync(join(ROOT, "build", "electron-builder.yml"), "utf8"));

  it("rebuilds native modules for Electron and keeps them outside the asar", () => {
    expect(config.get("npmRebuild")).toBe("true");
    expect(config.get("asar")).toBe("true");
    expect(config.get("asarUnpack")).toContain("**/*.node");
  });

  it("packages the built app, never the development Electron build of better-sqlite3", () => {
    expect(config.get("files")).toEqual(["out/**", "package.json", "!**/node_modules/.musher-electron/**"]);
  });
});
