/**
 * The `musher` command. Subcommands parse their own options; every expected
 * failure (bad flag, port in use, unreadable data dir) ends as one line on
 * stderr and a non-zero exit, never a stack trace.
 */
import { createLogger } from "../base/Logger";
import { MUSHER_VERSION } from "../node/version";
import { parseDataArgs } from "./parseDataArgs";
import { parseServeArgs, UsageError } from "./parseServeArgs";
import { ImportProgress } from "./ImportProgress";
import { runExport } from "./runExport";
import { runImport } from "./runImport";
import { runRebuild } from "./runRebuild";
import { runServe } from "./runServe";

const USAGE = `musher ${MUSHER_VERSION}

Usage:
  musher serve [--data DIR] [--port N] [--host H] [--token T] [--join INVITE]
               [--rendezvous ws://HOST:PORT/sync]... [--advertise ws(s)://HOST:PORT/sync]...
               [--trusted-key HEX]...
      Run the node headless and serve the UI to a browser.
      Defaults: a per-user data dir, port 4870, host 127.0.0.1, a random token.
      Peers sync with it at ws://HOST:PORT/sync; only members of the workspace
      (and a device redeeming an invite) are served. An empty data dir founds
      a new workspace (this node is its first admin), or with --join INVITE
      joins the invite's workspace (an admin creates the invite: Members →
      Invite). --rendezvous dials a peer (repeatable). --advertise sets the
      addresses this node's invites carry (default: its listen address).
      --trusted-key additionally admits only the listed node keys.
  musher export [--data DIR] > FILE.jsonl
      Write every change of the workspace (signed, in arrival order) to stdout.
  musher import [--data DIR] FILE.jsonl
      Verify and apply the changes of an export (an empty DIR joins its workspace).
      Progress goes to stderr: a line that updates on a terminal, else a line
      every 5 s of a long import.
  musher rebuild [--data DIR] [--check]
      Replay the change log and compare it with the stored state; repair a
      difference (or, with --check, only report it and exit 1).
  musher --version
  musher --help
`;

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") return "that port is already in use; pick another with --port";
    if (code === "EACCES") return `permission denied (${err.message})`;
    return err.message;
  }
  return String(err);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "serve":
        await runServe(parseServeArgs(rest, process.env));
        return 0;
      case "export":
        await runExport(parseDataArgs(rest, process.env, { positionals: [] }).dataDir, process.stdout, process.stderr);
        return 0;
      case "import": {
        const args = parseDataArgs(rest, process.env, { positionals: ["FILE"] });
        const file = args.positionals[0]!;
        const progress = new ImportProgress(file, process.stderr);
        const r = await runImport(args.dataDir, file, createLogger({ level: "warn", base: { svc: "import" } }), (p) => progress.update(p)).finally(() => progress.done());
        process.stdout.write(`imported ${file}: ${r.applied} applied, ${r.duplicate} duplicate, ${r.pending} pending, ${r.rejected} rejected\n`);
        return 0;
      }
      case "rebuild": {
        const args = parseDataArgs(rest, process.env, { positionals: [], flags: ["check"] });
        const r = runRebuild(args.dataDir, args.flags.has("check"));
        const verdict = r.matched ? "the stored state matches the log" : r.replaced ? "the stored state differed from the log and was rebuilt from it" : "the stored state DIFFERS from the log (run without --check to rebuild it)";
        const problems = r.notApplied > 0 ? `; ${r.notApplied} logged changes did not replay (first: ${r.firstProblem ?? "?"})` : "";
        process.stdout.write(`replayed ${r.changes} changes, ${r.stories} stories: ${verdict}${problems}\n`);
        return r.matched || r.replaced ? 0 : 1;
      }
      case "--version":
      case "-v":
        process.stdout.write(`${MUSHER_VERSION}\n`);
        return 0;
      case undefined:
      case "--help":
      case "-h":
      case "help":
        process.stdout.write(USAGE);
        return 0;
      default:
        process.stderr.write(`musher: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    process.stderr.write(`musher ${command ?? ""}: ${describe(err)}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}
