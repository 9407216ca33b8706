/**
 * The export format (JSON Lines) and its writer. Line 1 is a header naming
 * the workspace; every further line is one signed change, in arrival order
 * (a causal order, so an import never has to queue anything):
 *
 *   {"format":"musher-changes","v":1,"workspace":"w_…"}
 *   {"id":"<sha-256 hex>","bytes":"<base64 of the exact signed wire bytes>"}
 *
 * The `id` is informative; an importer recomputes it from the bytes, and
 * verifies every change like one received from a peer. The node's identity
 * is NOT exported: an export is safe to hand to a teammate.
 */
import { z } from "zod";
import { bytesColumn } from "./bytesColumn";
import { idColumn, type IdValue } from "./idColumn";
import type { NodeStore } from "./openNodeStore";

export const EXPORT_FORMAT = "musher-changes";

export const exportHeaderSchema = z.object({ format: z.literal(EXPORT_FORMAT), v: z.literal(1), workspace: z.string().min(1).max(128) });
export const exportLineSchema = z.object({ id: z.string().max(128).optional(), bytes: z.base64() });

const PAGE = 1_000;

/**
 * Writes the header and every change, page by page; `write` may return a
 * promise (backpressure) and is awaited. Returns the number of changes.
 */
export async function exportChanges(node: NodeStore, write: (line: string) => void | Promise<void>): Promise<number> {
  await write(JSON.stringify({ format: EXPORT_FORMAT, v: 1, workspace: node.workspaceId }));
  const page = node.db.prepare<[number, number], { arrival: number; id: IdValue; bytes: Buffer; author: IdValue }>(
    "SELECT c.arrival, c.id, c.bytes, a.key AS author FROM changes c JOIN authors a ON a.idx = c.author WHERE c.arrival > ? ORDER BY c.arrival LIMIT ?",
  );
  let count = 0;
  for (let after = 0; ; ) {
    const rows = page.all(after, PAGE);
    if (rows.length === 0) return count;
    after = rows[rows.length - 1]!.arrival;
    for (const row of rows) await write(JSON.stringify({ id: idColumn.decode(row.id), bytes: bytesColumn.restore(row.bytes, row.author).toString("base64") }));
    count += rows.length;
  }
}
