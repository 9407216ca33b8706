/**
 * `musher serve`: the node without Electron, behind the browser host.
 * Prints exactly one line on stdout when ready (the link to open); logs go
 * to stderr. Stops cleanly on SIGINT/SIGTERM; a second signal forces exit.
 *
 * Sync: peers connect at `/sync` on the same port. That route is NOT behind
 * the browser token — peers do not have it; they prove their node key in
 * the sync handshake, and `--trusted-key` limits which keys are admitted.
 * An empty data dir with `--rendezvous` joins the rendezvous's workspace
 * (joinWorkspace).
 */
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createNode } from "../node/createNode";
import { createLogger } from "../base/Logger";
import { createHttpHost, type UpgradeHandler } from "./createHttpHost";
import { joinWorkspace } from "./joinWorkspace";
import type { ServeOptions } from "./parseServeArgs";

function linkHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

export async function runServe(options: ServeOptions): Promise<void> {
  const log = createLogger({ base: { svc: "serve" } });
  const workspaceId = await joinWorkspace(options.dataDir, options.rendezvous, options.trustedKeys, log);
  await mkdir(options.dataDir, { recursive: true });
  const node = await createNode({
    dataDir: options.dataDir,
    host: "serve",
    log,
    rendezvous: options.rendezvous,
    trustedKeys: options.trustedKeys,
    ...(workspaceId !== undefined ? { workspaceId } : {}),
  });
  // Absolute: `--static ./dist` must not depend on how serveStatic joins paths.
  const staticDir = options.staticDir !== undefined ? resolve(options.staticDir) : fileURLToPath(new URL("../renderer/", import.meta.url));
  const upgrades = new Map<string, UpgradeHandler>([["/sync", node.sync.handleUpgrade]]);
  const host = createHttpHost({ node, token: options.token, staticDir, log, upgrades });
  let port: number;
  try {
    ({ port } = await host.listen(options.port, options.host));
  } catch (err) {
    await node.close();
    throw err;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn("second signal; exiting now", { signal });
      process.exit(1);
    }
    stopping = true;
    log.info("stopping", { signal });
    void (async () => {
      try {
        // Sync first: its links are upgraded sockets the HTTP server waits for
        // when closing; peers get "going away" (1001) and reconnect later.
        await node.sync.close();
        await host.close();
        await node.close();
        log.info("stopped");
        process.exitCode = 0;
      } catch (err) {
        log.error("unclean stop", { err });
        process.exitCode = 1;
      }
    })();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  // Printed last: whoever waits for this line may signal us right away.
  log.info("serving", {
    dataDir: options.dataDir,
    port,
    host: options.host,
    nodeId: node.info.nodeId,
    workspaceId: node.info.workspaceId,
    rendezvous: options.rendezvous,
    trustedKeys: options.trustedKeys.length,
  });
  if (options.trustedKeys.length === 0 && !isLoopback(options.host)) {
    log.warn("sync: open mesh: anyone who can reach this port can join the workspace and read and write the whole board; see --trusted-key", { host: options.host });
  }
  process.stdout.write(`musher listening on http://${linkHost(options.host)}:${port}/?token=${options.token}\n`);
}
