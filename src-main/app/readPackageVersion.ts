/**
 * The `version` of an installed package, read from
 * `<appPath>/node_modules/<name>/package.json` (a file, so input: parsed
 * through zod; a missing or malformed one is an error naming the file).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const packageJsonSchema = z.object({ version: z.string().min(1).max(64) });

export function readPackageVersion(appPath: string, name: string): string {
  const file = join(appPath, "node_modules", name, "package.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read ${file} (${err instanceof Error ? err.message : String(err)}); run \`npm ci\``);
  }
  const result = packageJsonSchema.safeParse(parsed);
  if (!result.success) throw new Error(`${file} has no valid version; run \`npm ci\``);
  return result.data.version;
}
