/**
 * Child process of the fresh-device benchmark: opens a data dir as a node
 * and serves its `/sync` on 127.0.0.1 (what `musher serve` mounts), so the
 * benchmark process holds only the joining device and its event-loop
 * blocks are the device's own. Prints `ws://…/sync` on stdout when ready;
 * when stdin closes, prints `{"bytesOut":n,"cpuMs":m}` (every byte it wrote
 * to sync sockets: frames, handshake, upgrade response; its CPU time since
 * it was ready, every thread) and exits.
 *
 * Run: node --import tsx bench/support/serveDataDir.ts <dataDir> <workspace>
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createNode } from "../../src-main/node/createNode";
import { silentLogger } from "../../src-main/base/Logger";

async function main(): Promise<void> {
  const [dataDir, workspaceId] = process.argv.slice(2);
  if (!dataDir || !workspaceId) throw new Error("usage: serveDataDir <dataDir> <workspace>");
  const node = await createNode({ dataDir, workspaceId, host: "embedded", log: silentLogger });
  const server = createServer((_req, res) => res.writeHead(404).end());
  let bytesOut = 0;
  server.on("upgrade", (req, socket, head) => {
    const write = socket.write.bind(socket);
    socket.write = ((chunk: Buffer | string, ...rest: never[]) => {
      bytesOut += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      return write(chunk, ...rest);
    }) as typeof socket.write;
    node.sync.handleUpgrade(req, socket, head);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const cpu = process.cpuUsage();
  process.stdout.write(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/sync\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    const used = process.cpuUsage(cpu);
    process.stdout.write(`${JSON.stringify({ bytesOut, cpuMs: Math.round((used.user + used.system) / 1000) })}\n`);
    server.close();
    void node.close().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
