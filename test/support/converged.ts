import type { ServeProcess } from "./startServe";
import { apiOf } from "./apiOf";

/**
 * True when every node reports the same sorted heads in `sync/status` and
 * the same `board/get {includeHidden:true}`, byte for byte (equal heads mean
 * equal history; the board compares the materialized state too).
 */
export async function converged(nodes: readonly ServeProcess[]): Promise<boolean> {
  const heads = await Promise.all(nodes.map(async (n) => JSON.stringify((await apiOf(n).status()).heads)));
  if (heads.some((h) => h !== heads[0])) return false;
  const boards = await Promise.all(nodes.map(async (n) => JSON.stringify(await apiOf(n).ok("board/get", { includeHidden: true }))));
  return boards.every((b) => b === boards[0]);
}
