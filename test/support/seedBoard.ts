/**
 * Fills a real `musher serve` with `count` stories through its HTTP API
 * (`story/create`, plus `story/update` for every 25th, which is blocked), a
 * few calls in flight at a time. The layout is deterministic and shaped like
 * a long-lived board: most stories are done or archived, a fifth in Backlog,
 * a few in Current/QA/Merge; every 7th has an agent. Names carry a word from
 * a small list so a filter has something to find.
 */
import { STAGES, type StageId } from "../../src-shared/stages";
import { storySchema, type Story } from "../../src-shared/Story";

export interface SeedTarget {
  call(method: string, input: unknown): Promise<{ status: number; body: unknown }>;
}

const WORDS = ["alpha", "billing", "cache", "deploy", "editor", "feed", "gateway", "history", "import", "journal"];
const AGENTS = ["coder", "reviewer", "tester"];

/** Stage of the i-th seeded story (percent buckets: 20 backlog, 5 current, 5 qa, 5 merge, 25 done, 40 archived). */
export function seedStage(i: number): StageId {
  const p = (i * 37) % 100;
  const at = p < 20 ? 0 : p < 25 ? 1 : p < 30 ? 2 : p < 35 ? 3 : p < 60 ? 4 : 5;
  return STAGES[at]!.id;
}

export function seedName(i: number): string {
  return `Story ${String(i).padStart(4, "0")} ${WORDS[i % WORDS.length]!} work`;
}

export async function seedBoard(target: SeedTarget, count: number, concurrency = 12): Promise<Story[]> {
  const out: Story[] = new Array<Story>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const input = { name: seedName(i), stage: seedStage(i), ...(i % 7 === 3 ? { agent: AGENTS[i % AGENTS.length]! } : {}) };
      const r = await target.call("story/create", input);
      if (r.status !== 200) throw new Error(`seed story/create ${i}: ${r.status} ${JSON.stringify(r.body)}`);
      let story = storySchema.parse(r.body);
      if (i % 25 === 11) {
        const u = await target.call("story/update", { id: story.id, blocked: true });
        if (u.status !== 200) throw new Error(`seed story/update ${i}: ${u.status} ${JSON.stringify(u.body)}`);
        story = storySchema.parse(u.body);
      }
      out[i] = story;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}
