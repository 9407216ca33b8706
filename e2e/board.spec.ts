/**
 * The board in a real browser (Debian's Chromium) against a real
 * `musher serve` child process: what a person sees matches the API, both
 * ways, without reloading the page.
 */
import { expect, test } from "@playwright/test";
import { boardSchema } from "../src-shared/Board";
import { STAGES } from "../src-shared/stages";
import { storySchema } from "../src-shared/Story";
import { startServe, type ServeProcess } from "../test/support/startServe";

let serve: ServeProcess;

test.beforeAll(async () => {
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
});

test("shows six columns, creates through the UI, follows moves made through the API", async ({ page }) => {
  await page.goto(`${serve.base}/?token=${serve.token}`);
  for (const stage of STAGES) {
    await expect(page.getByTestId(`column-${stage.id}`)).toBeVisible();
    await expect(page.getByTestId(`column-${stage.id}`)).toContainText(stage.name);
  }
  expect(page.url()).not.toContain("token=");
  // First run: the empty board says what stages, agents and sessions are, and what to do next.
  await expect(page.getByTestId("board-first-run")).toContainText("Stages");
  await expect(page.getByTestId("board-first-run")).toContainText("Agents");
  await expect(page.getByTestId("board-first-run")).toContainText("Sessions");
  await expect(page.getByTestId("board-first-run")).toContainText("New story");
  await expect(page.getByTestId("column-empty-3_qa")).toContainText("waiting to be checked");

  // A story created in the UI is returned by the API.
  await page.getByTestId("new-story-input").fill("Ship the foundation");
  await page.getByTestId("new-story-submit").click();
  await expect(page.getByTestId("column-1_backlog")).toContainText("Ship the foundation");
  await expect(page.getByTestId("board-first-run")).toHaveCount(0);
  const board = boardSchema.parse((await serve.call("board/get", {})).body);
  const story = board.stories.find((s) => s.name === "Ship the foundation");
  expect(story?.stage).toBe("1_backlog");

  // A story moved through the API moves in the UI without a reload.
  await page.evaluate(() => ((globalThis as unknown as { __noReload: boolean }).__noReload = true));
  await serve.call("story/move", { id: story!.id, stage: "3_qa" });
  await expect(page.getByTestId("column-3_qa").getByTestId(`story-${story!.id}`)).toBeVisible();
  await expect(page.getByTestId("column-1_backlog").getByTestId(`story-${story!.id}`)).toHaveCount(0);
  expect(await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
});

test("moves a story with the keyboard and by drag and drop", async ({ page }) => {
  const created = storySchema.parse((await serve.call("story/create", { name: "Keyboard story" })).body);
  await page.goto(`${serve.base}/?token=${serve.token}`);
  const card = page.getByTestId(`story-${created.id}`);
  await expect(card).toBeVisible();
  await card.focus();
  await page.keyboard.press("Shift+ArrowRight");
  await expect(page.getByTestId("column-2_current").getByTestId(`story-${created.id}`)).toBeVisible();
  await expect
    .poll(async () => boardSchema.parse((await serve.call("board/get", {})).body).stories.find((s) => s.id === created.id)?.stage)
    .toBe("2_current");

  await page.getByTestId(`story-${created.id}`).dragTo(page.getByTestId("column-5_done"));
  await expect(page.getByTestId("column-5_done").getByTestId(`story-${created.id}`)).toBeVisible();
  await expect
    .poll(async () => boardSchema.parse((await serve.call("board/get", {})).body).stories.find((s) => s.id === created.id)?.stage)
    .toBe("5_done");
});
