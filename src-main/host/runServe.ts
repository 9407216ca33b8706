/**
 * `musher serve`: the node without Electron, behind the browser host.
 * Prints exactly one line on stdout when ready (the link to open); logs go
 * to stderr. Stops cleanly on SIGINT/SIGTERM; a second signal forces exit.
 *
 * Sync: peers connect at `/sync` on the same port. That route is NOT behind
 * the browser token — peers do not have it; they prove their node key in
 * the sync handshake, and only members (or a device redeeming an invite)
 * are served; `--trusted-key` is an extra network filter on top.
 *
 * Data dir: an existing one opens its workspace; an empty one founds a new
 * workspace (this node its first admin), or with `--join INVITE` joins the
 * invite's (dialling its addresses, stored as the rendezvous setting, plus
 * any `--rendezvous`). An empty one with `--rendezvous` and no invite is
 * refused: nobody can join without an invite.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ApiFailure } from "../../src-shared/ApiError";
import { createNode, type MusherNode } from "../node/createNode";
import { createLogger } from "../base/Logger";
import { createHttpHost, type UpgradeHandler } from "./createHttpHost";
import { UsageError, type ServeOptions } from "./parseServeArgs";
import { DATABASE_FILE } from "../store/openNodeStore";

function linkHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

/** The sync URL peers dial to reach this host (an unspecified bind address is named by the machine's host name). */
function ownSyncUrl(host: string, port: number): string {
  const name = host === "0.0.0.0" || host === "::" ? hostname() : host;
  return `ws://${linkHost(name)}:${port}/sync`;
}

export async function runServe(options: ServeOptions): Promise<void> {
  const log = createLogger({ base: { svc: "serve" } });
  const fresh = !existsSync(join(options.dataDir, DATABASE_FILE));
  if (fresh && options.join === undefined && options.rendezvous.length > 0) {
    throw new UsageError(
      "this data dir is empty and --rendezvous alone cannot join a workspace: ask one of its admins for an invite (Members → Invite) and start with --join INVITE",
    );
  }
  await mkdir(options.dataDir, { recursive: true });
  let listening: string | null = null;
  let node: MusherNode;
  try {
    node = await createNode({
      dataDir: options.dataDir,
      host: "serve",
      log,
      rendezvous: options.rendezvous,
      trustedKeys: options.trustedKeys,
      advertise: options.advertise,
      listenAddress: () => listening,
      // The same path as the desktop's "Join a workspace" (member/join): only a node that holds nothing may join.
      ...(options.join !== undefined ? { join: options.join.line } : {}),
    });
  } catch (err) {
    if (err instanceof ApiFailure) throw new UsageError(`--join: ${err.message} (${options.dataDir})`);
    throw err;
  }
  if (options.join === undefined) node.replica.found(); // a new workspace: its genesis makes this node the first admin (no-op once founded)
  // Absolute: `--static ./dist` must not depend on how serveStatic joins paths.
  const staticDir = options.staticDir !== undefined ? resolve(options.staticDir) : fileURLToPath(new URL("../renderer/", import.meta.url));
  const upgrades = new Map<string, UpgradeHandler>([["/sync", node.sync.handleUpgrade]]);
  const host = createHttpHost({ node, token: options.token, staticDir, log, upgrades });
  let port: number;
  try {
    ({ port } = await host.listen(options.port, options.host));
    listening = ownSyncUrl(options.host, port);
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
    joining: options.join !== undefined,
    advertise: options.advertise.length > 0 ? options.advertise : [listening],
  });
  if (options.advertise.length === 0 && !isLoopback(options.host)) {
    log.info("members: invites carry this node's own address; behind a proxy or NAT give --advertise wss://HOST/sync", { address: listening });
  }
  process.stdout.write(`musher listening on http://${linkHost(options.host)}:${port}/?token=${options.token}\n`);
}
