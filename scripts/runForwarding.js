/**
 * Runs a command in the foreground of a script: stdio inherited, SIGINT and
 * SIGTERM forwarded, and the child's exit (code or signal) becomes ours.
 */
import { spawn } from "node:child_process";

export function runForwarding(command, args, { cwd, env }) {
  const child = spawn(command, args, { cwd, stdio: "inherit", env });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  child.on("error", (err) => {
    process.stderr.write(`could not run ${command} (${err.message})\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

/** The environment Electron should get: ELECTRON_RUN_AS_NODE, inherited, would make it plain Node. */
export function electronEnv(extra) {
  const env = { ...process.env, ...extra };
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}
