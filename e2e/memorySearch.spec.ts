/**
 * Memory search in a real browser (Debian's Chromium) against a real
 * `musher serve`: a word said deep in a long session — beyond the memcell's
 * digest, in another form than typed — is found; the hit marks it; clicking
 * the hit opens the session scrolled to that memcell, highlighted with the
 * match. The same from a story's drawer (that story's memory only).
 * Screenshots go to test-results/ (light theme: the UI has no dark one).
 */
import { expect, test, type Page } from "@playwright/test";
import { memorizeResultSchema } from "../src-shared/memoryMethods";
import { memoryHitSchema } from "../src-shared/MemoryHit";
import { sessionSchema } from "../src-shared/Session";
import { storySchema } from "../src-shared/Story";
import { startServe, type ServeProcess } from "../test/support/startServe";

let serve: ServeProcess;
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 3_600_000;
const EPISODES = 24;
const DEEP = 20; // the episode holding the word

test.beforeAll(async () => {
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
});

/** A session of EPISODES memcells (5 h apart: the embedded detector cuts each); one says the word past the digest's cut. */
async function longSession(title: string, storyId?: string) {
  const session = sessionSchema.parse((await serve.call("session/create", { title, ...(storyId ? { storyId } : {}) })).body);
  const messages = Array.from({ length: EPISODES + 1 }, (_, i) => ({
    senderId: i % 2 ? "bot" : "alice",
    role: "user" as const,
    timestamp: T0 + i * 5 * HOUR,
    content:
      `Episode ${i}: reviewing the release checklist and the flaky tests again. ` +
      "Nothing new to report on the pipeline, the logs look the same as yesterday. ".repeat(3) +
      (i === DEEP ? "Finally the websocket client reconnected after the proxy restart, so the outage is over." : "Still waiting."),
  }));
  const added = memorizeResultSchema.parse((await serve.call("session/addMessages", { sessionId: session.id, messages })).body);
  expect(added.memcellIds).toHaveLength(EPISODES);
  return { session, cellId: added.memcellIds[DEEP]! };
}

async function expectLandedOn(page: Page, sessionId: string, cellId: string) {
  await expect(page.getByTestId("session-detail")).toHaveAttribute("data-session-id", sessionId);
  const cell = page.getByTestId(`memcell-${cellId}`);
  await expect(cell).toHaveAttribute("data-focused", "true");
  await expect(cell).toBeInViewport();
  // The digest (what the memcell shows as content) was cut before the word; the match excerpt shows it, marked.
  await expect(cell.locator(".memcell__content")).not.toContainText("reconnected");
  await expect(cell.getByTestId("focused-match").locator("mark")).toHaveText(["reconnected"]);
  // Only that memcell is highlighted.
  await expect(page.locator('[data-focused="true"]')).toHaveCount(1);
}

test("search finds a word beyond the digest in another form, marks it, and a click lands on the highlighted memcell", async ({ page }) => {
  const story = storySchema.parse((await serve.call("story/create", { name: "Flaky reconnects" })).body);
  const { session, cellId } = await longSession("Night shift", story.id);
  const other = await longSession("Unrelated run");
  const api = memoryHitSchema.array().parse((await serve.call("memory/search", { query: "reconnecting" })).body);
  expect(api.map((h) => h.id).sort()).toEqual([cellId, other.cellId].sort());

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${serve.base}/?token=${serve.token}`);
  await page.getByTestId("tab-sessions").click();
  await page.getByTestId("search-input").fill("reconnecting");
  const hit = page.getByTestId(`search-hit-${cellId}`);
  await expect(hit).toContainText("reconnected");
  await expect(hit.locator("mark")).toHaveText(["reconnected"]);
  await page.screenshot({ path: "test-results/memory-search-hits.png" });

  // Before the click the memcell is far down the timeline, out of view.
  await hit.click();
  await expectLandedOn(page, session.id, cellId);
  await page.screenshot({ path: "test-results/memory-search-landed.png" });

  // From the story's drawer: that story's memory only.
  await page.getByTestId("tab-board").click();
  await page.getByTestId(`story-${story.id}`).click();
  const drawer = page.getByTestId("story-detail");
  await drawer.getByTestId("story-search-input").fill("reconnect");
  await expect(drawer.getByTestId(`story-hit-${cellId}`)).toBeVisible();
  await expect(drawer.getByTestId(`story-hit-${other.cellId}`)).toHaveCount(0);
  await expect(drawer.getByTestId(`story-hit-${cellId}`).locator("mark")).toHaveText(["reconnected"]);
  await page.screenshot({ path: "test-results/memory-search-drawer.png" });
  await drawer.getByTestId(`story-hit-${cellId}`).click();
  await expect(page.getByTestId("tab-sessions")).toHaveAttribute("aria-selected", "true");
  await expectLandedOn(page, session.id, cellId);
});
