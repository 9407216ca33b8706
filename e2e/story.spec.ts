/**
 * The story panel as the editor, in Debian's Chromium against real
 * `musher serve` child processes: rename and describe in place; a
 * conflicted card says "conflict" and the panel keeps a value in one click;
 * Ctrl+Z after a rename restores it; a move made while the node is down is
 * rolled back with a message that names it. Screenshots go to the test's
 * output dir (and /tmp/story-shots when it exists, to look at).
 */
import { existsSync } from "node:fs";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { boardSchema } from "../src-shared/Board";
import { storyDetailSchema, storySchema, type Story } from "../src-shared/Story";
import { converged } from "../test/support/converged";
import { startServe, type ServeProcess } from "../test/support/startServe";
import { waitFor } from "../test/support/waitFor";

const servers: ServeProcess[] = [];

async function serve(args: string[] = [], from?: ServeProcess, invitedBy?: ServeProcess): Promise<ServeProcess> {
  // A fresh node enters the workspace by an invite from `invitedBy` (startServe asks it for one).
  const s = from ? await from.restart({ args }) : await startServe({ args, ...(invitedBy ? { invitedBy } : {}) });
  servers.push(s);
  return s;
}

async function stop(s: ServeProcess): Promise<void> {
  await s.stop();
  servers.splice(servers.indexOf(s), 1);
}

async function create(s: ServeProcess, name: string): Promise<Story> {
  return storySchema.parse((await s.call("story/create", { name })).body);
}

async function detail(s: ServeProcess, id: string) {
  return storyDetailSchema.parse((await s.call("story/get", { id })).body);
}

async function open(page: Page, s: ServeProcess): Promise<void> {
  await page.goto(`${s.base}/?token=${s.token}`);
  await expect(page.getByTestId("column-1_backlog")).toBeVisible();
}

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  if (existsSync("/tmp/story-shots")) await page.screenshot({ path: `/tmp/story-shots/${name}.png` });
}

test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

test("renames and describes a story in its panel (Enter saves, Escape cancels)", async ({ page }, testInfo) => {
  const a = await serve();
  const story = await create(a, "Write the onboarding guide");
  await create(a, "Other story");
  await open(page, a);
  const card = page.getByTestId(`story-${story.id}`);
  await expect(card).not.toContainText(story.id); // no raw ids on cards
  await card.click();
  const panel = page.getByTestId("story-panel");
  await expect(panel).toBeVisible();

  await panel.getByTestId("story-name").click();
  await panel.getByTestId("story-name-input").fill("Discarded title");
  await page.keyboard.press("Escape");
  await expect(panel.getByTestId("story-name")).toHaveText("Write the onboarding guide");
  await expect(page.getByTestId("story-detail")).toBeVisible(); // Escape cancelled the edit, not the panel

  await panel.getByTestId("story-name").click();
  await panel.getByTestId("story-name-input").fill("Write the newcomer guide");
  await page.keyboard.press("Enter");
  await expect(card).toContainText("Write the newcomer guide");

  await panel.getByTestId("story-description").click();
  await panel.getByTestId("story-description-input").fill("Cover setup, sync and the board.");
  await page.keyboard.press("Enter");
  await expect(panel.getByTestId("story-description")).toHaveText("Cover setup, sync and the board.");
  await expect.poll(async () => (await detail(a, story.id)).description).toBe("Cover setup, sync and the board.");
  expect((await detail(a, story.id)).name).toBe("Write the newcomer guide");

  await panel.getByTestId("story-blocked").click();
  await expect(panel.getByTestId("story-blocked")).toBeChecked();
  await panel.getByTestId("depends-on-input").fill("Other story");
  await panel.getByTestId("depends-on-input").press("Enter");
  await expect(panel).toContainText("Other story");
  await expect(card).toContainText("blocked");
  await expect(card).toContainText("1 dep");
  await expect(page.getByTestId("story-history")).toContainText("edited the description");
  await shoot(page, testInfo, "story-panel-edited");

  await page.keyboard.press("Escape");
  await page.getByTestId(`story-${story.id}`).click();
  await page.getByTestId("story-delete").click();
  await expect(page.getByTestId(`story-${story.id}`)).toHaveCount(0);
  await expect(page.getByTestId("toast")).toContainText("Deleted");
  await page.getByTestId("toast-undo").click();
  await expect(page.getByTestId(`story-${story.id}`)).toBeVisible();
});

test("Ctrl+Z after a rename restores it, everywhere; Ctrl+Shift+Z redoes it", async ({ page }, testInfo) => {
  const a = await serve();
  const story = await create(a, "Original name");
  await open(page, a);
  await page.getByTestId(`story-${story.id}`).click();
  await page.getByTestId("story-name").click();
  await page.getByTestId("story-name-input").fill("Renamed by mistake");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId(`story-${story.id}`)).toContainText("Renamed by mistake");
  await page.keyboard.press("Escape"); // close the panel; the shortcut works anywhere outside a text field
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId(`story-${story.id}`)).toContainText("Original name");
  await expect(page.getByTestId("toast")).toContainText("Undid rename 'Original name' → 'Renamed by mistake'");
  expect((await detail(a, story.id)).name).toBe("Original name");
  await shoot(page, testInfo, "undo-toast");
  await page.keyboard.press("Control+Shift+Z");
  await expect(page.getByTestId(`story-${story.id}`)).toContainText("Renamed by mistake");
});

test("a card edited on two devices while apart says conflict; Keep resolves it", async ({ page }, testInfo) => {
  const a = await serve();
  const story = await create(a, "Shared story");
  const rendezvous = ["--rendezvous", `ws://127.0.0.1:${a.port}/sync`];
  let b = await serve(rendezvous, undefined, a);
  await waitFor(() => converged([a, b]), "B caught up", 30_000);
  await stop(b);
  b = await serve([], b);
  await b.call("story/update", { id: story.id, name: "Name from B" });
  await a.call("story/update", { id: story.id, name: "Name from A" });
  await stop(b);
  b = await serve(rendezvous, b);
  await waitFor(() => converged([a, b]), "A and B converged", 30_000);

  await open(page, a);
  const card = page.getByTestId(`story-${story.id}`);
  await expect(card).toContainText("conflict");
  await expect(card).toHaveAttribute("aria-label", /conflict/);
  await card.click();
  const conflicts = page.getByTestId("story-conflicts");
  await expect(conflicts).toContainText("Name from A");
  await expect(conflicts).toContainText("Name from B");
  await shoot(page, testInfo, "conflict-panel");
  const values = (await detail(a, story.id)).conflicts[0]!.values;
  const keepIndex = values.findIndex((v) => v.value === "Name from A");
  await page.getByTestId(`keep-name-${keepIndex}`).click();
  await expect(card).not.toContainText("conflict");
  await expect(page.getByTestId("story-conflicts")).toHaveCount(0);
  await waitFor(() => converged([a, b]), "the keep reached B", 30_000);
  expect(await detail(b, story.id)).toMatchObject({ name: "Name from A", conflicted: false });
});

test("a move made while the node is down is rolled back with a message naming it", async ({ page }, testInfo) => {
  const a = await serve();
  const story = await create(a, "Move me");
  await open(page, a);
  const backlog = page.getByTestId("column-1_backlog");
  await expect(backlog.getByTestId(`story-${story.id}`)).toBeVisible();
  await stop(a);
  await backlog.getByTestId(`story-${story.id}`).focus();
  await page.keyboard.press("Shift+ArrowRight"); // moves the card (plain arrows move focus)
  await expect(page.getByTestId("error-banner")).toContainText("Could not move 'Move me': node unreachable");
  await expect(backlog.getByTestId(`story-${story.id}`)).toBeVisible();
  await expect(page.getByTestId("column-2_current").getByTestId(`story-${story.id}`)).toHaveCount(0);
  await shoot(page, testInfo, "move-rolled-back");
  const back = await serve([], a);
  await expect.poll(async () => boardSchema.parse((await back.call("board/get", {})).body).stories[0]?.stage).toBe("1_backlog");
});

test("cards show agent, claim, blocked, retries and dependencies; a column over its WIP limit is flagged; hidden and deleted stories can be found again", async ({ page }, testInfo) => {
  const a = await serve();
  const base = await create(a, "Set up CI");
  const busy = storySchema.parse((await a.call("story/create", { name: "Build the importer", stage: "2_current", agent: "codex" })).body);
  await a.call("story/claim", { id: busy.id, claimant: "ana" });
  await a.call("story/retry", { id: busy.id });
  await a.call("story/update", { id: busy.id, blocked: true, dependsOn: [base.id] });
  await a.call("story/create", { name: "Second in Current", stage: "2_current" });
  const hidden = await create(a, "Parked idea");
  await a.call("story/hide", { id: hidden.id });
  const gone = await create(a, "Thrown away");
  await a.call("story/delete", { id: gone.id });
  await open(page, a);

  const card = page.getByTestId(`story-${busy.id}`);
  for (const text of ["codex", "claimed · ana", "blocked", "↻ 1", "1 dep"]) await expect(card).toContainText(text);
  await expect(card).toHaveAttribute("aria-label", /agent codex, claimed by ana, 1 retry, 1 dependency/);

  // WIP limit from the column header: 2 cards, limit 1 → over.
  await page.getByTestId("column-limit-2_current").click();
  await page.getByTestId("column-limit-2_current-input").fill("1");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("column-count-2_current")).toContainText("2 / 1");
  await expect(page.getByTestId("column-count-2_current")).toHaveAttribute("data-over", "true");
  expect(boardSchema.parse((await a.call("board/get", {})).body).stages[1]!.limit).toBe(1);

  await page.getByTestId("filter-showHidden").click();
  await expect(page.getByTestId("column-1_backlog")).toContainText("Parked idea");
  await page.getByTestId("open-trash").click();
  await expect(page.getByTestId("trash")).toContainText("Thrown away");
  await shoot(page, testInfo, "cards-limits-hidden-trash");
  await page.getByTestId(`restore-${gone.id}`).click();
  await expect(page.getByTestId(`story-${gone.id}`)).toBeVisible();
  // A story can be added to any column.
  await page.getByTestId("new-story-input").fill("Straight to QA");
  await page.getByTestId("new-story-stage").selectOption("3_qa");
  await page.getByTestId("new-story-submit").click();
  await expect(page.getByTestId("column-3_qa")).toContainText("Straight to QA");
});
