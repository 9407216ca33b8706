/**
 * Checks that a better-sqlite3 native module (`better_sqlite3.node`) given
 * by path loads in the running runtime, before any database is opened with
 * it (better-sqlite3's `nativeBinding` option).
 *
 * Why: `npm ci` builds better-sqlite3 for the Node that ran it; Electron
 * embeds another Node with another ABI, so the desktop shell passes a build
 * of its own (see README, Desktop). Whoever passes no path gets
 * better-sqlite3's default build and never reaches this module.
 *
 * Invariants:
 * - Returns the path unchanged when the module loads AND is better-sqlite3's
 *   (it has the `Database` class and `setErrorConstructor`); better-sqlite3
 *   then loads the very same module from Node's require cache.
 * - Otherwise throws `StoreError("native_binding")` whose message names the
 *   file and what is wrong with it (missing, other runtime, other platform,
 *   not better-sqlite3); never a raw loader error.
 */
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute } from "node:path";
import { describeBindingFailure } from "./describeBindingFailure";
import { StoreError } from "./StoreError";

export function loadSqliteBinding(file: string): string {
  const fail = (reason: string): StoreError => new StoreError("native_binding", `SQLite's native module ${file} ${reason}.`);
  if (!isAbsolute(file) || !file.endsWith(".node")) throw fail("is not an absolute path to a .node file");
  if (!existsSync(file)) throw fail("does not exist");
  if (!statSync(file).isFile()) throw fail("is not a file");
  let addon: unknown;
  try {
    addon = createRequire(import.meta.url)(file);
  } catch (err) {
    throw fail(describeBindingFailure(err));
  }
  if (!isBetterSqlite3(addon)) throw fail("loads, but is not better-sqlite3's module");
  return file;
}

function isBetterSqlite3(addon: unknown): boolean {
  if (typeof addon !== "object" || addon === null) return false;
  const shape = addon as { Database?: unknown; setErrorConstructor?: unknown };
  return typeof shape.Database === "function" && typeof shape.setErrorConstructor === "function";
}
