/**
 * Options of the data-dir maintenance commands (`export`, `import`,
 * `rebuild`): `--data DIR` (default: MUSHER_DATA, then the per-user dir, as
 * for `serve`), an exact number of positional arguments, and boolean flags.
 */
import { parseArgs } from "node:util";
import { defaultDataDir } from "./defaultDataDir";
import { UsageError } from "./parseServeArgs";

export interface DataArgs {
  dataDir: string;
  positionals: string[];
  flags: Set<string>;
}

export function parseDataArgs(argv: string[], env: NodeJS.ProcessEnv, spec: { positionals: string[]; flags?: string[] }): DataArgs {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        data: { type: "string" },
        ...Object.fromEntries((spec.flags ?? []).map((f) => [f, { type: "boolean" as const }])),
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (positionals.length !== spec.positionals.length) {
    const want = spec.positionals.length === 0 ? "no arguments" : spec.positionals.join(" ");
    throw new UsageError(`expected ${want}, got ${positionals.length === 0 ? "none" : positionals.join(" ")}`);
  }
  const data = values["data"];
  if (data === "") throw new UsageError("--data: an empty path");
  return {
    dataDir: typeof data === "string" ? data : (env["MUSHER_DATA"] ?? defaultDataDir(env)),
    positionals,
    flags: new Set((spec.flags ?? []).filter((f) => values[f] === true)),
  };
}
