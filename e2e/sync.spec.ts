/**
 * The sync indicator and panel in a real browser (Debian's Chromium) against
 * real `musher serve` child processes:
 * - a lone node says "Local only", not "Offline";
 * - node B started on an empty dir with an invite from A and `--rendezvous` to node A joins A's
 *   workspace: B's header says Online with 1 peer, a story created in A's UI
 *   appears on B's board, B's panel lists A as a command-line ("flag")
 *   rendezvous kept out of the setting's field and of what is saved; A's
 *   panel refuses an invalid rendezvous address inline and saves nothing;
 * - rendering of a busy node (peers, failing rendezvous, unsent changes, a
 *   large catch-up that ends) with the status and `sync/changed` events
 *   substituted in the page, so every state is shown deterministically; the
 *   node's refusal of a list is shown inline.
 * Screenshots of the indicator and the panel go to the test's output dir.
 */
import { expect, test, type Page, type TestInfo, type WebSocketRoute } from "@playwright/test";
import { syncStatusSchema, type SyncStatus } from "../src-shared/syncMethods";
import { startServe, type ServeProcess } from "../test/support/startServe";
import { busySyncStatus, FIXTURE_PEER_IN, FIXTURE_PEER_OUT } from "./syncStatusFixture";

const servers: ServeProcess[] = [];

async function serve(args: string[] = [], invitedBy?: ServeProcess): Promise<ServeProcess> {
  // A fresh node enters the workspace by an invite from `invitedBy` (startServe asks it for one).
  const s = await startServe({ args, ...(invitedBy ? { invitedBy } : {}) });
  servers.push(s);
  return s;
}

async function syncStatus(s: ServeProcess): Promise<SyncStatus> {
  const { status, body } = await s.call("sync/status", {});
  expect(status, JSON.stringify(body)).toBe(200);
  return syncStatusSchema.parse(body);
}

async function open(page: Page, s: ServeProcess): Promise<void> {
  await page.goto(`${s.base}/?token=${s.token}`);
  await expect(page.getByTestId("column-1_backlog")).toBeVisible();
}

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.locator("header.header").screenshot({ path: testInfo.outputPath(`${name}-header.png`) });
  await page.screenshot({ path: testInfo.outputPath(`${name}-page.png`) });
}

test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

test("a lone node with no rendezvous says Local only", async ({ page }, testInfo) => {
  const a = await serve();
  await open(page, a);
  const indicator = page.getByTestId("sync-indicator");
  await expect(indicator.getByTestId("sync-state")).toHaveText("Local only");
  await expect(indicator.getByTestId("sync-peer-count")).toHaveCount(0);
  await expect(indicator.getByTestId("sync-unsent")).toHaveCount(0);
  await expect(indicator.getByTestId("sync-progress")).toHaveCount(0);
  await shoot(page, testInfo, "local-only");
});

test("B joins A through its rendezvous: Online, 1 peer, A's stories on B's board", async ({ page, context }, testInfo) => {
  const a = await serve();
  const b = await serve(["--rendezvous", `ws://127.0.0.1:${a.port}/sync`], a);
  const aStatus = await syncStatus(a);
  expect((await syncStatus(b)).workspaceId).toBe(aStatus.workspaceId);

  // B's header: Online with one peer.
  await open(page, b);
  const indicator = page.getByTestId("sync-indicator");
  await expect(indicator.getByTestId("sync-state")).toHaveText("Online");
  await expect(indicator.getByTestId("sync-peer-count")).toHaveAttribute("data-count", "1");
  await expect(indicator.getByTestId("sync-peer-count")).toHaveText("1 peer");

  // A story created in A's UI shows up on B's board without a reload.
  const pageA = await context.newPage();
  await open(pageA, a);
  await pageA.getByTestId("new-story-input").fill("Made on A");
  await pageA.getByTestId("new-story-submit").click();
  await expect(pageA.getByTestId("column-1_backlog")).toContainText("Made on A");
  await expect(page.getByTestId("column-1_backlog")).toContainText("Made on A");

  // B's panel lists A as its outgoing peer, and A's address as a connected rendezvous.
  await indicator.click();
  const panel = page.getByTestId("sync-panel");
  await expect(panel).toBeVisible();
  const peer = panel.getByTestId("sync-peer");
  await expect(peer).toHaveCount(1);
  await expect(peer).toHaveAttribute("data-node-id", aStatus.nodeId);
  await expect(peer).toHaveAttribute("data-direction", "out");
  await expect(peer).toContainText(aStatus.nodeId.slice(0, 8));
  await expect(panel.getByTestId("rendezvous-entry")).toHaveAttribute("data-state", "connected");
  // A's address came from B's command line: listed read-only, not in the setting's field.
  await expect(panel.getByTestId("rendezvous-entry")).toHaveAttribute("data-source", "flag");
  await expect(panel.getByTestId("rendezvous-flag-note")).toHaveText("from the command line (musher serve --rendezvous)");
  await expect(panel.getByTestId("rendezvous-input")).toHaveValue("");
  await shoot(page, testInfo, "b-online");
  // Saving the (empty) setting neither copies the flag address into it nor stops dialling it.
  await panel.getByTestId("rendezvous-save").click();
  await expect(panel.getByTestId("rendezvous-saved")).toContainText("1 of them from the command line");
  expect((await syncStatus(b)).rendezvous.map((r) => [r.url, r.source])).toEqual([[`ws://127.0.0.1:${a.port}/sync`, "flag"]]);
  await expect(panel.getByTestId("rendezvous-entry")).toHaveAttribute("data-state", "connected");
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);

  // A's panel: an invalid address is refused inline and nothing is saved.
  await pageA.getByTestId("sync-indicator").click();
  const panelA = pageA.getByTestId("sync-panel");
  await expect(panelA.getByTestId("rendezvous-input")).toBeFocused();
  await panelA.getByTestId("rendezvous-input").fill("http://x");
  await panelA.getByTestId("rendezvous-save").click();
  await expect(panelA.getByTestId("rendezvous-error")).toContainText("ws:// or wss://");
  await expect(panelA.getByTestId("rendezvous-input")).toHaveAttribute("aria-invalid", "true");
  await shoot(pageA, testInfo, "a-invalid");
  expect((await syncStatus(a)).rendezvous).toEqual([]);
});

test("renders a busy node from sync/status and sync/changed; shows a refusal inline", async ({ page }, testInfo) => {
  const a = await serve();
  const now = Date.now();
  let refusal: { status: number; body: unknown } | null = null;
  // Substitute this node's sync status and push channel in the page only: every state, deterministically.
  await page.route(/\/api\/sync\/status$/, (route) => route.fulfill({ json: busySyncStatus(now) }));
  const sent: unknown[] = [];
  await page.route(/\/api\/sync\/setRendezvous$/, (route) => {
    sent.push(route.request().postDataJSON());
    return refusal ? route.fulfill({ status: refusal.status, json: refusal.body }) : route.fulfill({ json: busySyncStatus(now) });
  });
  const sockets: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/api\/events$/, (ws) => {
    ws.connectToServer();
    sockets.push(ws);
  });
  const push = (status: SyncStatus) => {
    for (const ws of sockets) ws.send(JSON.stringify({ event: "sync/changed", payload: status }));
  };

  await open(page, a);
  const indicator = page.getByTestId("sync-indicator");
  await expect(indicator.getByTestId("sync-state")).toHaveText("Online");
  await expect(indicator.getByTestId("sync-peer-count")).toHaveText("2 peers");
  await expect(indicator.getByTestId("sync-unsent")).toHaveText("3 unsent");
  const progress = indicator.getByTestId("sync-progress");
  await expect(progress).toHaveAttribute("data-received", "12345");
  await expect(progress).toHaveAttribute("data-expected", "50000");
  await expect(progress.getByRole("progressbar")).toHaveAttribute("value", "12345");
  await shoot(page, testInfo, "busy");

  // The panel: three links (one unidentified), two rendezvous, one failing.
  await indicator.click();
  const panel = page.getByTestId("sync-panel");
  await expect(panel.getByRole("heading", { name: "Sync" })).toBeVisible();
  await expect(panel.getByTestId("sync-peer")).toHaveCount(3);
  await expect(panel.locator(`[data-node-id="${FIXTURE_PEER_OUT}"]`)).toContainText("Outgoing");
  await expect(panel.locator(`[data-node-id="${FIXTURE_PEER_IN}"]`)).toContainText("Catching up");
  await expect(panel.locator('[data-testid="rendezvous-entry"][data-state="waiting"]')).toContainText("3 failed attempts");
  await expect(panel.getByTestId("rendezvous-input")).toBeFocused();
  // The command-line address is listed with its note; the field holds the stored setting only.
  await expect(panel.locator('[data-testid="rendezvous-entry"][data-source="flag"]')).toContainText("from the command line");
  await expect(panel.locator('[data-testid="rendezvous-entry"][data-source="setting"]').getByTestId("rendezvous-flag-note")).toHaveCount(0);
  await expect(panel.getByTestId("rendezvous-input")).toHaveValue("wss://backup.example/sync");
  await page.screenshot({ path: testInfo.outputPath("busy-panel.png") });

  // The catch-up ends: the progress goes away, the peers count stays.
  push(busySyncStatus(now, { catchUp: null, unsent: 0 }));
  await expect(indicator.getByTestId("sync-progress")).toHaveCount(0);
  await expect(indicator.getByTestId("sync-unsent")).toHaveCount(0);

  // Client-side check first: a bad line is named and nothing is sent.
  const input = panel.getByTestId("rendezvous-input");
  await input.fill("ws://team-server.example:4870/sync\nteam-server:4870");
  await panel.getByTestId("rendezvous-save").click();
  await expect(panel.getByTestId("rendezvous-error")).toContainText("Line 2 (team-server:4870)");

  // A list the node refuses: its message is shown inline.
  refusal = { status: 400, body: { code: "invalid_input", message: "rendezvous points at this node itself" } };
  await input.fill("ws://127.0.0.1:1/sync");
  await expect(panel.getByTestId("rendezvous-error")).toHaveCount(0);
  await panel.getByTestId("rendezvous-save").click();
  await expect(panel.getByTestId("rendezvous-error")).toContainText("The node refused the list: rendezvous points at this node itself");
  await page.screenshot({ path: testInfo.outputPath("busy-panel-refused.png") });

  // Accepted: the confirmation replaces the error.
  refusal = null;
  await panel.getByTestId("rendezvous-save").click();
  await expect(panel.getByTestId("rendezvous-saved")).toBeVisible();
  // Only what was typed is sent: never the command-line address.
  expect(sent.at(-1)).toEqual({ urls: ["ws://127.0.0.1:1/sync"] });

  // Escape closes and gives focus back to the indicator.
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(indicator).toBeFocused();
  await expect(indicator).toHaveAttribute("aria-expanded", "false");

  // From the keyboard again; a selection dragged out onto the backdrop keeps it open, a click there closes it.
  await indicator.press("Enter");
  await expect(panel.getByTestId("rendezvous-input")).toBeFocused();
  const box = (await panel.getByTestId("rendezvous-input").boundingBox())!;
  await page.mouse.move(box.x + 10, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(5, box.y + 10);
  await page.mouse.up();
  await expect(panel).toBeVisible();
  await page.mouse.click(5, 400);
  await expect(panel).toHaveCount(0);
  await expect(indicator).toBeFocused();
});
