/**
 * `musher serve` options: parsed with node's parseArgs, then validated with
 * zod so a typo gets one clear line instead of a stack trace.
 * `--rendezvous URL`, `--advertise URL` and `--trusted-key HEX` may be
 * repeated; `--join INVITE` is parsed here, so a damaged invite is a usage error.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { rendezvousUrlSchema } from "../../src-shared/syncMethods";
import { parseInvite, type Invite } from "../crdt/inviteLine";
import { defaultDataDir } from "./defaultDataDir";

export interface ServeOptions {
  dataDir: string;
  port: number;
  host: string;
  token: string;
  staticDir: string | undefined;
  /** Sync peers to dial (their `/sync` endpoints). */
  rendezvous: string[];
  /** Node keys allowed to sync with this node: an extra network filter on top of membership; empty = none. */
  trustedKeys: string[];
  /** The invite to join with (an empty data dir only), as given. */
  join: { line: string; invite: Invite } | undefined;
  /** Addresses this node's invites carry (default: its listen address). */
  advertise: string[];
}

const nodeKeySchema = z.string().regex(/^[0-9a-f]{64}$/, "a node key is 64 lowercase hex characters (the nodeId that node/info reports)");

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
  rendezvous: z.array(rendezvousUrlSchema).default([]),
  "trusted-key": z.array(nodeKeySchema).default([]),
  join: z.string().min(1).optional(),
  advertise: z.array(rendezvousUrlSchema).default([]),
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
        rendezvous: { type: "string", multiple: true },
        "trusted-key": { type: "string", multiple: true },
        join: { type: "string" },
        advertise: { type: "string", multiple: true },
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
    const flag = String(first?.path[0] ?? "?");
    // For a repeated flag, name the offending value: "--trusted-key abc: ...".
    const index = first?.path[1];
    const list = values[flag];
    const value = typeof index === "number" && Array.isArray(list) ? ` ${JSON.stringify(list[index])}` : "";
    throw new UsageError(`--${flag}${value}: ${first?.message ?? "invalid"}`);
  }
  const v = parsed.data;
  let join: ServeOptions["join"];
  if (v.join !== undefined) {
    const invite = parseInvite(v.join);
    if (!invite.ok) throw new UsageError(`--join: ${invite.reason}`);
    join = { line: v.join.trim(), invite: invite.invite };
  }
  return {
    dataDir: v.data ?? env["MUSHER_DATA"] ?? defaultDataDir(env),
    port: v.port,
    host: v.host,
    token: v.token ?? env["MUSHER_TOKEN"] ?? randomBytes(24).toString("base64url"),
    staticDir: v.static ?? env["MUSHER_STATIC_DIR"],
    rendezvous: v.rendezvous,
    trustedKeys: [...new Set(v["trusted-key"])],
    join,
    advertise: [...new Set(v.advertise)],
  };
}
