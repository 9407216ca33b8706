/**
 * Starts `musher serve` as a real child process (the built CLI, exactly what
 * a user runs) and waits for its one stdout line. By default on an
 * ephemeral port; `port` fixes it (a rendezvous that must come back on the
 * same address). `restart()` starts the same node again: same data dir,
 * token and flags, and the same port if it was fixed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const CLI = join(ROOT, "bin/musher.js");

const START_TIMEOUT_MS = 30_000;
/** A node that does not stop within this after SIGTERM/SIGINT is killed (tests must not hang). */
const STOP_TIMEOUT_MS = 15_000;

export interface StartServeOptions {
  dataDir?: string;
  token?: string;
  /** Fixed port; default 0 (ephemeral). */
  port?: number;
  /** Extra flags, after --port/--token/--data (a repeated --port overrides). */
  args?: string[];
  /**
   * A running node of the workspace to join: the helper asks it for an
   * invite (`member/invite`, as its admin) and starts this node with
   * `--join INVITE` — how a fresh node enters a workspace since membership.
   * Not part of `args`, so `restart()` reopens the data dir without it.
   */
  invitedBy?: ServeProcess;
  /** Name and role the invite gives (default: "device", member). */
  invite?: { name?: string; role?: "admin" | "member" };
}

/** An invite line from a running node (it must be an admin of its workspace). */
export async function inviteFrom(node: ServeProcess, name = "device", role: "admin" | "member" = "member"): Promise<string> {
  const r = await node.call("member/invite", { name, role });
  if (r.status !== 200) throw new Error(`member/invite → ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as { invite: string }).invite;
}

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface ServeProcess {
  proc: ChildProcess;
  base: string;
  port: number;
  token: string;
  dataDir: string;
  args: string[];
  stdout: string[];
  stderr: string[];
  /** The node's JSON log lines so far (stderr lines that are not JSON are skipped). */
  logs(): LogLine[];
  /** POST /api/<method> with the bearer token; returns status and parsed JSON. */
  call(method: string, input: unknown, token?: string | null): Promise<{ status: number; body: unknown }>;
  /** Signals the process and resolves with its exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Starts the same node again on its data dir (stop it first). */
  restart(overrides?: { args?: string[] }): Promise<ServeProcess>;
}

export async function startServe(opts: StartServeOptions = {}): Promise<ServeProcess> {
  if (!existsSync(join(ROOT, "out/main/cli.js"))) {
    throw new Error("out/main/cli.js is missing: run `npm run build` before the integration tests");
  }
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), "musher-it-")));
  const token = opts.token ?? "test-token";
  const args = opts.args ?? [];
  const joinArgs = opts.invitedBy ? ["--join", await inviteFrom(opts.invitedBy, opts.invite?.name, opts.invite?.role)] : [];
  const proc = spawn(
    process.execPath,
    [CLI, "serve", "--port", String(opts.port ?? 0), "--token", token, "--data", dataDir, ...args, ...joinArgs],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  const stdout: string[] = [];
  const stderr: string[] = [];
  let errBuf = "";
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => {
    errBuf += d;
    const lines = errBuf.split("\n");
    errBuf = lines.pop() ?? "";
    stderr.push(...lines.filter(Boolean));
  });
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  const line = await new Promise<string>((resolveLine, reject) => {
    let buf = "";
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`musher serve did not start within ${START_TIMEOUT_MS} ms:\n${stderr.join("\n")}`));
    }, START_TIMEOUT_MS);
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
      // Let the last stderr chunk arrive: the reason is usually the last line.
      setImmediate(() => reject(new Error(`musher serve exited with ${code}:\n${[...stderr, errBuf].join("\n")}`)));
    });
  });
  if (opts.invitedBy && args.includes("--rendezvous")) {
    // The join stored the invite's addresses as the rendezvous setting; a test that names its --rendezvous
    // flags decides alone what the node dials (restarted without them, it is offline — the partition tests).
    await fetch(`${/^musher listening on (http:\/\/[^/]+)\//.exec(line)?.[1] ?? ""}/api/sync/setRendezvous`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ urls: [] }),
    });
  }
  const m = /^musher listening on (http:\/\/[^/]+)\/\?token=(.+)$/.exec(line);
  if (!m) throw new Error(`unexpected first line: ${line}`);
  const base = m[1]!;
  const port = Number(new URL(base).port);
  return {
    proc,
    base,
    port,
    token,
    dataDir,
    args,
    stdout,
    stderr,
    logs: () => {
      const out: LogLine[] = [];
      for (const l of stderr) {
        try {
          const v = JSON.parse(l) as unknown;
          if (typeof v === "object" && v !== null && "msg" in v) out.push(v as LogLine);
        } catch {
          // Not a log line (e.g. a one-line CLI error).
        }
      }
      return out;
    },
    call: async (method, input, tok = token) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (tok !== null) headers["authorization"] = `Bearer ${tok}`;
      const res = await fetch(`${base}/api/${method}`, { method: "POST", headers, body: JSON.stringify(input) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    stop: async (signal = "SIGTERM") => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill(signal);
        const timer = setTimeout(() => proc.kill("SIGKILL"), STOP_TIMEOUT_MS);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return exited;
    },
    restart: (overrides = {}) =>
      startServe({ dataDir, token, args: overrides.args ?? args, ...(opts.port !== undefined && opts.port !== 0 ? { port: opts.port } : {}) }),
  };
}
