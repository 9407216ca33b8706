/**
 * `musher export --data DIR > file.jsonl`: every stored change, in arrival
 * order (format: store/exportChanges). Writes respect stdout backpressure,
 * so a large log streams in constant memory. Never creates a data dir.
 */
import { once } from "node:events";
import { exportChanges } from "../store/exportChanges";
import { openNodeStore } from "../store/openNodeStore";

export async function runExport(dataDir: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void> {
  const node = openNodeStore({ dataDir, create: false });
  try {
    const count = await exportChanges(node, async (line) => {
      if (!out.write(`${line}\n`)) await once(out, "drain");
    });
    err.write(`exported ${count} changes of workspace ${node.workspaceId}\n`);
  } finally {
    node.close();
  }
}
