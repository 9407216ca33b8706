/**
 * The `musher` command. Subcommands parse their own options; every expected
 * failure (bad flag, port in use, unreadable data dir) ends as one line on
 * stderr and a non-zero exit, never a stack trace.
 */
import { MUSHER_VERSION } from "../node/version";
import { parseServeArgs, UsageError } from "./parseServeArgs";
import { runServe } from "./runServe";

const USAGE = `musher ${MUSHER_VERSION}

Usage:
  musher serve [--data DIR] [--port N] [--host H] [--token T]
      Run the node headless and serve the UI to a browser.
      Defaults: a per-user data dir, port 4870, host 127.0.0.1, a random token.
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
