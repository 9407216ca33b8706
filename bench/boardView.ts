/**
 * Board benchmark, in real Chromium against real `musher serve` processes:
 * a 100-story board (the baseline, measured in the same run) against a
 * 5,000-story one, both seeded through the HTTP API.
 *
 * Per board, over several fresh page loads: time to the first card (from
 * navigation start), the longest task while loading (navigation until one
 * second after the first card), DOM elements once loaded. Then, on one page:
 * drag latency (the drop event → the card is in the target column),
 * keyboard-move latency (the keydown → the card is in the next column),
 * and the JS heap after 50 keyboard moves (after a forced GC).
 *
 * Goals (issue 13): first-card ratio ≤ 2, ≤ 4,000 elements at 5,000 stories,
 * drag latency median ≤ 50 ms at 5,000 stories.
 *
 * Run: npm run build && npm run bench boardView   (needs Chromium; MUSHER_CHROMIUM overrides the path)
 */
import { chromium, type Browser, type Page } from "@playwright/test";
import { boardSchema, type Board } from "../src-shared/Board";
import type { StageId } from "../src-shared/stages";
import { seedBoard } from "../test/support/seedBoard";
import { startServe, type ServeProcess } from "../test/support/startServe";
import { BOARD_PROBE } from "./support/boardProbe";

const SMALL = 100;
const LARGE = 5000;
const LOADS = 3;
const DRAGS = 10;
const KEY_MOVES = 50;
const CHROMIUM = process.env["MUSHER_CHROMIUM"] ?? "/usr/bin/chromium";
/** The keyboard shortcut that moves the focused card to the next stage. */
const MOVE_RIGHT = "Shift+ArrowRight";
const MOVE_LEFT = "Shift+ArrowLeft";

interface Result {
  stories: number;
  firstCardMs: number;
  longestTaskMs: number;
  elements: number;
  dragMedianMs: number;
  dragP90Ms: number;
  keyMoveMedianMs: number;
  heapAfterMovesMB: number;
}

const median = (xs: number[]): number => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

async function boardOf(serve: ServeProcess): Promise<Board> {
  return boardSchema.parse((await serve.call("board/get", {})).body);
}
const idsIn = (board: Board, stage: StageId): string[] =>
  board.stories.filter((s) => s.stage === stage && !s.hidden).map((s) => s.id);

async function openBoard(browser: Browser, serve: ServeProcess): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(BOARD_PROBE);
  await page.goto(`${serve.base}/?token=${serve.token}`);
  // Polled with evaluate: waitForFunction's string predicate needs eval, which the app's CSP forbids.
  const deadline = Date.now() + 60_000;
  while (!(await page.evaluate<boolean>("window.__probe.firstCard !== null"))) {
    if (Date.now() > deadline) throw new Error("no card within 60 s");
    await page.waitForTimeout(25);
  }
  return page;
}

async function load(browser: Browser, serve: ServeProcess): Promise<{ firstCard: number; longest: number; elements: number }> {
  const page = await openBoard(browser, serve);
  await page.waitForTimeout(1000);
  const firstCard = await page.evaluate<number>("window.__probe.firstCard");
  const longest = await page.evaluate<number>("Math.max(0, ...window.__probe.longTasks)");
  const elements = await page.evaluate<number>("document.getElementsByTagName('*').length");
  await page.close();
  return { firstCard, longest, elements };
}

/** Drags `id` onto the middle of column `to`; returns drop → card-in-column ms. */
async function dragOnce(page: Page, id: string, to: StageId): Promise<number> {
  const card = page.locator(`[data-story-id="${id}"]`);
  const from = (await card.boundingBox())!;
  const area = (await page.locator(`[data-testid="column-scroll-${to}"]`).boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 5);
  await page.mouse.move(area.x + area.width / 2, area.y + 150);
  await page.waitForTimeout(50);
  await page.mouse.move(area.x + area.width / 2, area.y + 160);
  await page.evaluate(`window.__probe.mark("drop")`);
  const appeared = page.evaluate<number>(`window.__probe.cardIn(${JSON.stringify(to)}, ${JSON.stringify(id)})`);
  await page.mouse.up();
  const at = await appeared;
  const dropped = await page.evaluate<number | undefined>(`window.__probe.marks.drop`);
  if (dropped === undefined) throw new Error(`drag of ${id} to ${to}: no drop event`);
  await page.waitForTimeout(100);
  return at - dropped;
}

/** Presses `key` on the focused card; returns keydown → card-in-column ms. */
async function keyMoveOnce(page: Page, id: string, to: StageId, key: string): Promise<number> {
  await page.evaluate(`window.__probe.mark("keydown")`);
  const appeared = page.evaluate<number>(`window.__probe.cardIn(${JSON.stringify(to)}, ${JSON.stringify(id)})`);
  await page.keyboard.press(key);
  const at = await appeared;
  const pressed = await page.evaluate<number>(`window.__probe.marks.keydown`);
  return at - pressed;
}

async function measure(browser: Browser, serve: ServeProcess, stories: number): Promise<Result> {
  const loads = [];
  for (let i = 0; i < LOADS; i++) loads.push(await load(browser, serve));

  const page = await openBoard(browser, serve);
  await page.waitForTimeout(500);
  const board = await boardOf(serve);
  // One card goes back and forth between Backlog and Current.
  const dragId = idsIn(board, "1_backlog")[0]!;
  const drags: number[] = [];
  for (let i = 0; i < DRAGS; i++) drags.push(await dragOnce(page, dragId, i % 2 === 0 ? "2_current" : "1_backlog"));

  const keyId = idsIn(await boardOf(serve), "3_qa")[0]!;
  await page.locator(`[data-story-id="${keyId}"]`).focus();
  const keys: number[] = [];
  for (let i = 0; i < KEY_MOVES; i++) {
    const right = i % 2 === 0;
    keys.push(await keyMoveOnce(page, keyId, right ? "4_merge" : "3_qa", right ? MOVE_RIGHT : MOVE_LEFT));
  }
  await page.waitForTimeout(1000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  await page.close();

  return {
    stories,
    firstCardMs: round(median(loads.map((l) => l.firstCard))),
    longestTaskMs: round(Math.max(...loads.map((l) => l.longest))),
    elements: Math.max(...loads.map((l) => l.elements)),
    dragMedianMs: round(median(drags)),
    dragP90Ms: round(quantile(drags, 0.9)),
    keyMoveMedianMs: round(median(keys)),
    heapAfterMovesMB: round(heap.usedSize / 2 ** 20),
  };
}

async function main(): Promise<void> {
  const small = await startServe();
  const large = await startServe();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const t = performance.now();
    await seedBoard(small, SMALL);
    await seedBoard(large, LARGE);
    process.stdout.write(`seeded ${SMALL} + ${LARGE} stories through the API in ${round((performance.now() - t) / 1000)} s\n`);
    const base = await measure(browser, small, SMALL);
    const big = await measure(browser, large, LARGE);
    for (const r of [base, big]) process.stdout.write(`${JSON.stringify(r)}\n`);
    const ratio = (a: number, b: number): number => round(a / b, 2);
    process.stdout.write(
      `${JSON.stringify({
        bench: "boardView",
        stories: [SMALL, LARGE],
        firstCardMs: [base.firstCardMs, big.firstCardMs],
        firstCardRatio: ratio(big.firstCardMs, base.firstCardMs),
        longestTaskMs: [base.longestTaskMs, big.longestTaskMs],
        longestTaskRatio: ratio(big.longestTaskMs || 1, base.longestTaskMs || 1),
        elements: [base.elements, big.elements],
        elementsRatio: ratio(big.elements, base.elements),
        dragMedianMs: [base.dragMedianMs, big.dragMedianMs],
        dragRatio: ratio(big.dragMedianMs, base.dragMedianMs),
        keyMoveMedianMs: [base.keyMoveMedianMs, big.keyMoveMedianMs],
        keyMoveRatio: ratio(big.keyMoveMedianMs, base.keyMoveMedianMs),
        heapAfter50MovesMB: [base.heapAfterMovesMB, big.heapAfterMovesMB],
        heapRatio: ratio(big.heapAfterMovesMB, base.heapAfterMovesMB),
        goals: {
          firstCardRatioMax2: big.firstCardMs / base.firstCardMs <= 2,
          elementsMax4000: big.elements <= 4000,
          dragMedianMax50ms: big.dragMedianMs <= 50,
          noLongTaskOver100ms: big.longestTaskMs <= 100,
        },
      })}\n`,
    );
  } finally {
    await browser.close();
    await small.stop();
    await large.stop();
  }
}

await main();
