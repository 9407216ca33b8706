/**
 * Which workspace a `musher serve` data dir should be created in.
 *
 * - A data dir that already has its database: its own workspace (undefined
 *   here; the store reads it).
 * - An empty one without `--rendezvous`: a new workspace (undefined).
 * - An empty one with `--rendezvous`: the workspace of the first rendezvous
 *   that answers, in the order given. If none answers we refuse to start:
 *   creating a new workspace instead would quietly split the team into two
 *   boards that can never sync (a peer of another workspace is refused).
 *
 * The answer is the rendezvous's claim (its `hello`); the handshake that
 * follows authenticates it. With trusted keys, a rendezvous whose key is not
 * listed is skipped here already, so a node never adopts an untrusted
 * peer's workspace.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../base/Logger";
import { DATABASE_FILE } from "../store/openNodeStore";
import { discoverWorkspace } from "../sync/discoverWorkspace";

export async function joinWorkspace(
  dataDir: string,
  rendezvous: readonly string[],
  trustedKeys: readonly string[],
  log: Logger,
): Promise<string | undefined> {
  if (rendezvous.length === 0 || existsSync(join(dataDir, DATABASE_FILE))) return undefined;
  for (const url of rendezvous) {
    try {
      const peer = await discoverWorkspace(url);
      if (trustedKeys.length > 0 && !trustedKeys.includes(peer.nodeId)) {
        log.warn("sync: rendezvous key is not trusted; not joining its workspace", { url, node: peer.nodeId });
        continue;
      }
      log.info("sync: joining the rendezvous's workspace", { url, workspace: peer.workspace, node: peer.nodeId });
      return peer.workspace;
    } catch (err) {
      log.warn("sync: rendezvous did not answer", { url, err });
    }
  }
  throw new Error(
    `no rendezvous answered (${rendezvous.join(", ")}), so there is no workspace to join; nothing was created in ${dataDir}. ` +
      "Start the rendezvous first, or start without --rendezvous to create a new workspace.",
  );
}
