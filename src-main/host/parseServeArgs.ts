/**
 * `musher serve` options: parsed with node's parseArgs, then validated with
 * zod so a typo gets one clear line instead of a stack trace.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { defaultDataDir } from "./defaultDataDir";

export interface ServeOptions {
  dataDir: string;
  port: number;
  host: string;
  token: string;
  staticDir: string | undefined;
}

const schema = z.object({
  data: z.string().min(1).optional(),
  port: z.coerce.number().int().min(0).max(65535).default(4870),
  host: z.string().min(1).default("127.0.0.1"),
  token: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[\x21-\x7e]+$/, "the token must be printable ASCII without spaces")
    .optional(),
  static: z.string().min(1).optional(),
});

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): ServeOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        data: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        token: { type: "string" },
        static: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UsageError(`--${String(first?.path[0] ?? "?")}: ${first?.message ?? "invalid"}`);
  }
  const v = parsed.data;
  return {
    dataDir: v.data ?? env["MUSHER_DATA"] ?? defaultDataDir(env),
    port: v.port,
    host: v.host,
    token: v.token ?? env["MUSHER_TOKEN"] ?? randomBytes(24).toString("base64url"),
    staticDir: v.static ?? env["MUSHER_STATIC_DIR"],
  };
}
