/**
 * `musher serve`: the node without Electron, behind the browser host.
 * Prints exactly one line on stdout when ready (the link to open); logs go
 * to stderr. Stops cleanly on SIGINT/SIGTERM; a second signal forces exit.
 */
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createNode } from "../node/createNode";
import { createLogger } from "../node/Logger";
import { createHttpHost } from "./createHttpHost";
import type { ServeOptions } from "./parseServeArgs";

function linkHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

export async function runServe(options: ServeOptions): Promise<void> {
  const log = createLogger({ base: { svc: "serve" } });
  await mkdir(options.dataDir, { recursive: true });
  const node = await createNode({ dataDir: options.dataDir, host: "serve", log });
  const staticDir = options.staticDir ?? fileURLToPath(new URL("../renderer/", import.meta.url));
  const host = createHttpHost({ node, token: options.token, staticDir, log });
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
  log.info("serving", { dataDir: options.dataDir, port, host: options.host, nodeId: node.info.nodeId });
  process.stdout.write(`musher listening on http://${linkHost(options.host)}:${port}/?token=${options.token}\n`);
}
