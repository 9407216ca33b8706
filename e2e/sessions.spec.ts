/**
 * Sessions in a real browser (Debian's Chromium) against a real
 * `musher serve`: a story's drawer lists its sessions, a session shows its
 * memcells and buffer (updated live), hide/unhide and flush work, and memory
 * search finds a memcell and opens its session.
 */
import { expect, test } from "@playwright/test";
import { memorizeResultSchema } from "../src-shared/memoryMethods";
import { sessionSchema } from "../src-shared/Session";
import { storySchema } from "../src-shared/Story";
import { startServe, type ServeProcess } from "../test/support/startServe";

let serve: ServeProcess;
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 3_600_000;

test.beforeAll(async () => {
  serve = await startServe();
});

test.afterAll(async () => {
  await serve?.stop();
});

test("a story's sessions, their memcells, live updates, flush, hide and search", async ({ page }) => {
  const story = storySchema.parse((await serve.call("story/create", { name: "Login redirect loop" })).body);
  const other = sessionSchema.parse((await serve.call("session/create", { title: "Unrelated session" })).body);
  const session = sessionSchema.parse((await serve.call("session/create", { title: "Pairing on login", storyId: story.id })).body);
  const added = memorizeResultSchema.parse(
    (
      await serve.call("session/addMessages", {
        sessionId: session.id,
        messages: [
          { senderId: "alice", role: "user", timestamp: T0, content: "The redirect loops when the cookie expires" },
          { senderId: "bot", role: "assistant", timestamp: T0 + 60_000, content: "The cookie path is /app, so the pelican handler never sees it" },
          { senderId: "alice", role: "user", timestamp: T0 + 5 * HOUR, content: "Afternoon: write the regression test" },
        ],
      })
    ).body,
  );
  const [cellId] = added.memcellIds;
  expect(cellId).toBeDefined();

  // Pick the story on the board: its drawer lists its sessions only.
  await page.goto(`${serve.base}/?token=${serve.token}`);
  await page.getByTestId(`story-${story.id}`).click();
  const drawer = page.getByTestId("story-detail");
  await expect(drawer).toContainText("Login redirect loop");
  await expect(drawer.getByTestId(`story-session-${session.id}`)).toBeVisible();
  await expect(drawer.getByTestId(`story-session-${other.id}`)).toHaveCount(0);

  // Open it: its memcells as a timeline and the pending buffer.
  await drawer.getByTestId(`story-session-${session.id}`).click();
  await expect(page.getByTestId("tab-sessions")).toHaveAttribute("aria-selected", "true");
  const cell = page.getByTestId(`memcell-${cellId}`);
  await expect(cell).toContainText("The redirect loops when the cookie expires");
  await expect(cell).toContainText("alice, bot");
  await expect(page.getByTestId("buffer-count")).toHaveText("1");

  // Messages pushed through the API show up without a reload.
  await serve.call("session/addMessages", {
    sessionId: session.id,
    messages: [{ senderId: "bob", role: "assistant", timestamp: T0 + 5 * HOUR + 1000, content: "On it" }],
  });
  await expect(page.getByTestId("buffer-count")).toHaveText("2");

  // Filter the list by story.
  await page.getByTestId("story-filter").fill(story.name);
  await page.getByTestId(`story-filter-option-${story.id}`).click();
  await expect(page.getByTestId(`session-${session.id}`)).toBeVisible();
  await expect(page.getByTestId(`session-${other.id}`)).toHaveCount(0);

  // Hide greys the memcell and offers Unhide; Unhide restores it.
  await page.getByTestId(`hide-${cellId}`).click();
  await expect(cell).toHaveAttribute("data-hidden", "true");
  await page.getByTestId(`unhide-${cellId}`).click();
  await expect(cell).toHaveAttribute("data-hidden", "false");

  // Flush memorizes the buffer.
  await page.getByTestId("flush-button").click();
  await expect(page.getByTestId("buffer-count")).toHaveText("0");
  await expect(page.getByTestId("timeline").locator("[data-testid^=memcell-]")).toHaveCount(2);

  // Search finds the memcell by a word in its content; a hit opens its session.
  await page.getByTestId(`session-${session.id}`).click();
  await page.getByTestId("story-filter").click();
  await page.getByTestId("story-filter-option-none").click();
  await page.getByTestId(`session-${other.id}`).click();
  await expect(page.getByTestId("session-detail")).toHaveAttribute("data-session-id", other.id);
  await page.getByTestId("search-input").fill("pelican");
  const hit = page.getByTestId(`search-hit-${cellId}`);
  await expect(hit).toContainText("pelican");
  await hit.click();
  await expect(page.getByTestId("session-detail")).toHaveAttribute("data-session-id", session.id);
});
