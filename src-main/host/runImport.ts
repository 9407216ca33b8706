/**
 * `musher import --data DIR file.jsonl`: feeds an export (store/exportChanges)
 * to a node exactly as if a peer had sent it — every change decoded,
 * signature-checked and validated by `replica.receiveBatch`, in chunks
 * (`node.ingest`) so memory stays bounded. Idempotent: a second import of
 * the same file reports everything as duplicate and changes nothing.
 *
 * An empty data dir adopts the file's workspace; an existing one must be in
 * it (createNode refuses otherwise). A line that is not a change is counted
 * as rejected and reported by line number, like garbage from a peer.
 * `onProgress` hears after every chunk how far the import is (for the
 * CLI's progress line, `ImportProgress`).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { exportHeaderSchema, exportLineSchema } from "../store/exportChanges";
import type { IngestReport } from "../store/ingestInChunks";
import { createNode } from "../node/createNode";
import type { Logger } from "../base/Logger";
import type { ImportProgressEvent } from "./ImportProgress";

const CHUNK = 2_000;

export async function runImport(dataDir: string, file: string, log: Logger, onProgress?: (p: ImportProgressEvent) => void): Promise<IngestReport> {
  const bytesTotal = (await stat(file)).size; // a missing file is reported before any data dir is created
  const input = createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  try {
    const first = await iterator.next();
    const header = first.done ? undefined : exportHeaderSchema.safeParse(safeJson(first.value));
    if (!header?.success) throw new Error(`${file}: line 1 is not a Musher export header (made by \`musher export\`)`);
    const node = await createNode({ dataDir, host: "embedded", log, workspaceId: header.data.workspace });
    const total: IngestReport = { received: 0, applied: 0, duplicate: 0, pending: 0, rejected: 0 };
    try {
      let chunk: Uint8Array[] = [];
      const flush = async (): Promise<void> => {
        const r = await node.ingest(chunk);
        chunk = [];
        total.received += r.received;
        total.applied += r.applied;
        total.duplicate += r.duplicate;
        total.rejected += r.rejected;
        onProgress?.({ bytesRead: input.bytesRead, bytesTotal, received: total.received, applied: total.applied });
      };
      for (let n = 2, next = await iterator.next(); !next.done; n++, next = await iterator.next()) {
        if (next.value.trim() === "") continue;
        const line = exportLineSchema.safeParse(safeJson(next.value));
        if (!line.success) {
          total.received++;
          total.rejected++;
          log.warn("import: line is not a change", { file, line: n });
          continue;
        }
        chunk.push(new Uint8Array(Buffer.from(line.data.bytes, "base64")));
        if (chunk.length >= CHUNK) await flush();
      }
      await flush();
      // What is still queued after the whole file waits for changes the file does not have.
      total.pending = node.replica.pendingSize().count;
    } finally {
      await node.close();
    }
    return total;
  } finally {
    lines.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
