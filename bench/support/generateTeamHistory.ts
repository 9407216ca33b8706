/**
 * A busy team's history for the fresh-device benchmark: `authors` keys
 * editing round-robin (the same op mix as `generateHistory`) on two devices
 * (half the authors write through each; a device's authors see each
 * other's changes at once) that exchange what they wrote every
 * `exchangeEvery` changes, so the DAG has two concurrent branches that
 * merge again and again, and every author's chain runs through both.
 * Two stores, not one per author: generating is then 2 applies per change,
 * not 8 (the generator is not what is measured). Deterministic.
 */
import { MemoryReplicaStore } from "../../src-main/crdt/MemoryReplicaStore";
import { BENCH_WORKSPACE, makeBenchNode } from "./generateHistory";
import { STAGES } from "../../src-shared/stages";

const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export { BENCH_WORKSPACE };

export function generateTeamHistory(total: number, authors = 8, exchangeEvery = 400): Uint8Array[] {
  const devices = [new MemoryReplicaStore(), new MemoryReplicaStore()];
  const nodes = Array.from({ length: authors }, (_, k) => makeBenchNode(20 + k, devices[k % 2]));
  const log: Uint8Array[] = [];
  nodes.forEach((n) => n.replica.onApplied((e) => e.local && log.push(...e.changes)));
  const own: string[][] = nodes.map(() => []);
  let shipped = 0;
  let x = 4242;
  const rnd = (m: number): number => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x % m);
  for (let i = 0; log.length < total; i++) {
    const k = i % authors;
    const { replica, board } = nodes[k]!;
    const mine = own[k]!;
    const r = rnd(100);
    if (mine.length < 10 || r < 10) {
      const id = `t${k}-${i}`;
      const rank = "a" + DIGITS[rnd(62)]! + DIGITS[1 + rnd(61)]!;
      replica.commit([{ t: "create", story: id, name: `story ${i}`, stage: STAGES[rnd(STAGES.length)]!.id, rank, agent: null }]);
      mine.push(id);
    } else {
      const id = mine[rnd(mine.length)]!;
      if (r < 40) board.move(id, STAGES[rnd(STAGES.length)]!.id, rnd(8));
      else if (r < 60) board.update(id, { name: `renamed ${i}` });
      else if (r < 75) board.retry(id);
      else if (r < 90) board.update(id, { blocked: r % 2 === 0 });
      else board.claim(id, `agent-${k}`);
    }
    if (log.length - shipped >= exchangeEvery) {
      const batch = log.slice(shipped);
      shipped = log.length;
      nodes[0]!.replica.receiveBatch(batch);
      nodes[1]!.replica.receiveBatch(batch);
    }
  }
  return log.slice(0, total);
}
