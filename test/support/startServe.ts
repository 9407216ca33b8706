/**
 * Starts `musher serve` as a real child process (the built CLI, exactly what
 * a user runs) on an ephemeral port and waits for its one stdout line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const CLI = join(ROOT, "bin/musher.js");

export interface ServeProcess {
  proc: ChildProcess;
  base: string;
  port: number;
  token: string;
  dataDir: string;
  stdout: string[];
  stderr: string[];
  /** POST /api/<method> with the bearer token; returns status and parsed JSON. */
  call(method: string, input: unknown, token?: string | null): Promise<{ status: number; body: unknown }>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServe(opts: { dataDir?: string; token?: string; args?: string[] } = {}): Promise<ServeProcess> {
  if (!existsSync(join(ROOT, "out/main/cli.js"))) {
    throw new Error("out/main/cli.js is missing: run `npm run build` before the integration tests");
  }
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), "musher-it-")));
  const token = opts.token ?? "test-token";
  const proc = spawn(
    process.execPath,
    [CLI, "serve", "--port", "0", "--token", token, "--data", dataDir, ...(opts.args ?? [])],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  const stdout: string[] = [];
  const stderr: string[] = [];
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => stderr.push(...d.split("\n").filter(Boolean)));
  const line = await new Promise<string>((resolveLine, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`musher serve did not start:\n${stderr.join("\n")}`)), 20_000);
    proc.stdout!.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const l of lines) {
        stdout.push(l);
        if (stdout.length === 1) {
          clearTimeout(timer);
          resolveLine(l);
        }
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`musher serve exited with ${code}:\n${stderr.join("\n")}`));
    });
  });
  const m = /^musher listening on (http:\/\/[^/]+)\/\?token=(.+)$/.exec(line);
  if (!m) throw new Error(`unexpected first line: ${line}`);
  const base = m[1]!;
  const port = Number(new URL(base).port);
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return {
    proc,
    base,
    port,
    token,
    dataDir,
    stdout,
    stderr,
    call: async (method, input, tok = token) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (tok !== null) headers["authorization"] = `Bearer ${tok}`;
      const res = await fetch(`${base}/api/${method}`, { method: "POST", headers, body: JSON.stringify(input) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    stop: async (signal = "SIGTERM") => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}
