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

test("keyboard: one tab stop per column, j/k move focus, l moves the card and is announced", async ({ page }) => {
  await open(page);
  const board = await boardNow();
  const backlog = visibleIds(board, "1_backlog");
  const current = visibleIds(board, "2_current");
  const focusedId = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute("data-story-id") ?? null);

  await page.getByTestId(`story-${backlog[0]}`).focus();
  await page.keyboard.press("Tab");
  expect(await focusedId()).toBe(current[0]); // the next column, not the next of 1,000 cards
  await page.keyboard.press("Shift+Tab");
  expect(await focusedId()).toBe(backlog[0]);
  await page.keyboard.press("j");
  await page.keyboard.press("ArrowDown");
  expect(await focusedId()).toBe(backlog[2]);
  await page.keyboard.press("k");
  expect(await focusedId()).toBe(backlog[1]);
  // End reaches the last of 1,000 cards, mounted on demand.
  await page.keyboard.press("End");
  expect(await focusedId()).toBe(backlog[backlog.length - 1]);
  await expect(page.getByTestId(`story-${backlog[backlog.length - 1]}`)).toBeInViewport();
  await page.keyboard.press("Home");
  expect(await focusedId()).toBe(backlog[0]);

  const moving = backlog[1]!;
  await page.keyboard.press("j");
  await page.keyboard.press("l");
  await expect(page.getByTestId("column-2_current").getByTestId(`story-${moving}`)).toBeVisible();
  expect(await focusedId()).toBe(moving); // focus follows the card
  await expect(page.getByTestId("board-announcer")).toContainText("to Current");
  await expect.poll(async () => visibleIds(await boardNow(), "2_current").indexOf(moving)).toBe(1);
  await page.keyboard.press("Shift+ArrowLeft");
  await expect(page.getByTestId("column-1_backlog").getByTestId(`story-${moving}`)).toBeVisible();
  await expect.poll(async () => (await boardNow()).stories.find((s) => s.id === moving)?.stage).toBe("1_backlog");
});

test("`/` focuses the filter, which narrows the board; toggles narrow further; `?` shows the shortcuts", async ({ page }) => {
  await open(page);
  // From a card that keyboard focus follows: typing in the filter must stay in the filter.
  await page.locator("[data-story-id]").first().focus();
  await page.keyboard.press("j");
  await page.keyboard.press("/");
  await expect(page.getByTestId("board-filter")).toBeFocused();
  await page.keyboard.type("Gateway");
  await expect(page.getByTestId("board-filter")).toHaveValue("Gateway");
  // Ids are hex and no agent is called so: only names match.
  const matching = (await boardNow()).stories.filter((s) => !s.hidden && s.name.includes("gateway")).length;
  await expect(page.getByTestId("filter-count")).toHaveText(`${matching} of ${STORIES} stories`);
  const names = await page.locator("[data-story-id] .card__name").allTextContents();
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) expect(n).toMatch(/gateway/);
  await page.getByTestId("filter-blocked").click();
  const blockedNames = await page.locator("[data-story-id]").allTextContents();
  for (const n of blockedNames) expect(n).toMatch(/blocked/i);
  await page.getByTestId("board-filter").focus();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("board-filter")).toHaveValue("");
  await page.getByTestId("filter-blocked").click();
  await expect(page.getByTestId("filter-count")).toHaveText(`${STORIES} stories`);

  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toHaveCount(0);
});

test("a keyboard move while filtering lands where the filtered board shows it", async ({ page }) => {
  await open(page);
  await page.getByTestId("board-filter").fill("journal");
  const shownBacklog = await page.getByTestId("column-1_backlog").locator("[data-story-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-story-id")!));
  const shownCurrent = await page.getByTestId("column-2_current").locator("[data-story-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-story-id")!));
  const moving = shownBacklog[1]!;
  await page.getByTestId(`story-${moving}`).focus();
  await page.keyboard.press("l");
  // Second among the shown Current cards: in the full board, after the first shown
  // card and right before the second (the cards the filter hides stay put).
  await expect(page.getByTestId("column-2_current").locator("[data-story-id]").nth(1)).toHaveAttribute("data-story-id", moving);
  await expect.poll(async () => {
    const ids = visibleIds(await boardNow(), "2_current");
    return ids.indexOf(shownCurrent[1]!) - ids.indexOf(moving);
  }).toBe(1);
  const ids = visibleIds(await boardNow(), "2_current");
  expect(ids.indexOf(moving)).toBeGreaterThan(ids.indexOf(shownCurrent[0]!));
});

test("Ctrl+K palette finds a story by name and moves it", async ({ page }) => {
  await open(page);
  const story = (await boardNow()).stories.find((s) => s.stage === "3_qa" && !s.hidden)!;
  await page.keyboard.press("Control+k");
  await expect(page.getByTestId("command-palette")).toBeVisible();
  await page.getByTestId("palette-input").fill(story.name);
  await page.keyboard.press("Enter");
  await page.getByTestId("palette-input").fill("archived");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("command-palette")).toHaveCount(0);
  await expect.poll(async () => (await boardNow()).stories.find((s) => s.id === story.id)?.stage).toBe("6_archived");
});

test.describe("dark", () => {
  test.use({ colorScheme: "dark" });

  test("follows the system's dark scheme, and the settings menu overrides it", async ({ page }) => {
    await open(page);
    const lightness = (sel: string) =>
      page.locator(sel).first().evaluate((el) => {
        const g = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } };
        const [r, gr, b] = g.getComputedStyle(el).backgroundColor.match(/\d+/g)!.map(Number);
        return (r! + gr! + b!) / 3;
      });
    expect(await lightness("html")).toBeLessThan(40);
    expect(await lightness("[data-story-id]")).toBeLessThan(50);
    await page.screenshot({ path: "test-results/board-5000-dark.png" });
    await page.getByTestId("settings-button").click();
    await page.getByTestId("theme-light").check();
    expect(await lightness("html")).toBeGreaterThan(200);
    await page.reload();
    await expect(page.locator("[data-story-id]").first()).toBeVisible();
    expect(await lightness("[data-story-id]")).toBeGreaterThan(200); // the choice is kept
    await page.screenshot({ path: "test-results/board-5000-light.png" });
  });
});

test("Sessions: the story picker is searchable at 5,000 stories; tab switches keep scroll positions", async ({ page }) => {
  await open(page);
  const scroll = page.getByTestId("column-scroll-5_done");
  await scroll.evaluate((el) => (el.scrollTop = 12_345));
  await page.waitForTimeout(300); // the virtualizer measures the newly mounted cards and may nudge the offset
  const before = await scroll.evaluate((el) => el.scrollTop);
  expect(before).toBeGreaterThan(12_000);
  await page.getByTestId("tab-sessions").click();
  const picker = page.getByTestId("story-filter");
  await picker.fill("journal 0");
  const options = page.getByRole("listbox", { name: "Filter sessions by story" }).getByRole("option");
  const count = await options.count();
  expect(count).toBeGreaterThan(1);
  expect(count).toBeLessThanOrEqual(51); // "All stories" + at most 50 matches
  const story = (await boardNow()).stories.find((s) => s.name.includes("journal"))!;
  await picker.fill(story.name);
  await page.getByTestId(`story-filter-option-${story.id}`).click();
  await expect(picker).toHaveValue(story.name);

  await page.getByTestId("tab-board").click();
  await expect(page.getByTestId("board-filter")).toBeVisible();
  expect(await scroll.evaluate((el) => el.scrollTop)).toBe(before);
  await page.getByTestId("tab-sessions").click();
  await expect(picker).toHaveValue(story.name);
});
