/**
 * The board at 5,000 stories in a real browser (Debian's Chromium) against a
 * real `musher serve`, seeded once for the file through the HTTP API:
 * windowed columns, drag and drop between them (to a card far down a
 * column, by auto-scroll), keyboard moves, the filter, the shortcuts sheet
 * and the dark theme.
 */
import { expect, test, type Page } from "@playwright/test";
import { boardSchema, type Board } from "../src-shared/Board";
import type { StageId } from "../src-shared/stages";
import { seedBoard } from "../test/support/seedBoard";
import { startServe, type ServeProcess } from "../test/support/startServe";

const STORIES = 5000;
let serve: ServeProcess;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  serve = await startServe();
  await seedBoard(serve, STORIES);
});

test.afterAll(async () => {
  await serve?.stop();
});

async function boardNow(): Promise<Board> {
  return boardSchema.parse((await serve.call("board/get", {})).body);
}

/** Visible story ids of a stage, in board order (what `story/move`'s index counts). */
function visibleIds(board: Board, stage: StageId): string[] {
  return board.stories.filter((s) => s.stage === stage && !s.hidden).map((s) => s.id);
}

async function open(page: Page): Promise<void> {
  await page.goto(`${serve.base}/?token=${serve.token}`);
  await expect(page.locator("[data-story-id]").first()).toBeVisible({ timeout: 30_000 });
}

test("windows every column: a few hundred elements for 5,000 stories", async ({ page }) => {
  await open(page);
  await expect(page.getByTestId("column-6_archived").locator(".column__count")).toHaveText("2000");
  const elements = await page.locator("*").count();
  expect(elements).toBeLessThan(4000);
  const cards = await page.locator("[data-story-id]").count();
  expect(cards).toBeLessThan(300);
  // The header stays while the column scrolls.
  const scroll = page.getByTestId("column-scroll-6_archived");
  await scroll.evaluate((el) => (el.scrollTop = 40_000));
  await expect(page.getByTestId("column-6_archived").locator(".column__header")).toBeInViewport();
  const board = await boardNow();
  const far = visibleIds(board, "6_archived")[Math.floor(40_000 / 64)]!;
  await expect.poll(() => page.locator("[data-story-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-story-id")))).toContain(far);
});

test("drags a card to a card far down another windowed column, auto-scrolling", async ({ page }) => {
  await open(page);
  const before = await boardNow();
  const moving = visibleIds(before, "2_current")[0]!;
  const targetIndex = 120;
  const target = visibleIds(before, "5_done")[targetIndex]!;

  const card = page.getByTestId(`story-${moving}`);
  const from = (await card.boundingBox())!;
  const area = (await page.getByTestId("column-scroll-5_done").boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height / 2 + 5, { steps: 3 });
  // Hold the pointer near the bottom edge of Done until the target card is mounted and on screen.
  const edgeX = area.x + area.width / 2;
  const edgeY = area.y + area.height - 12;
  await page.mouse.move(edgeX, edgeY, { steps: 5 });
  const targetCard = page.getByTestId(`story-${target}`);
  for (let i = 0; i < 400; i++) {
    const box = await targetCard.boundingBox();
    if (box && box.y > area.y + 80 && box.y + box.height < area.y + area.height - 80) break;
    if (box && box.y < area.y + 80) break; // overshot: scroll stops once the pointer leaves the edge
    await page.mouse.move(edgeX, edgeY - (i % 2), { steps: 1 });
    await page.waitForTimeout(25);
  }
  // Away from the edge (scrolling stops), then onto the target's upper half.
  await page.mouse.move(edgeX, area.y + area.height / 2);
  await page.waitForTimeout(100);
  const box = (await targetCard.boundingBox())!;
  expect(box.y).toBeGreaterThan(area.y);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 4);
  await page.waitForTimeout(100);
  await expect(page.getByTestId("column-5_done")).toHaveClass(/column--drop/);
  await page.mouse.up();

  await expect(page.getByTestId("column-5_done").getByTestId(`story-${moving}`)).toBeVisible();
  await expect.poll(async () => visibleIds(await boardNow(), "5_done").indexOf(moving)).toBe(targetIndex);
  expect(visibleIds(await boardNow(), "5_done")[targetIndex + 1]).toBe(target);
});
