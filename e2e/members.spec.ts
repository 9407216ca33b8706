/**
 * The Members view and the "Join a workspace" flow in a real browser
 * (Debian's Chromium) against real `musher serve` child processes:
 * - node A invites a device from its Members view (keyboard only); node B
 *   joins with that line (`musher serve --join`); A's view lists B by name,
 *   as a member added by A, with a last-seen time from the live sync link;
 * - B, a plain member, sees the list but neither Invite nor Remove; when
 *   B's page is made to believe it is an admin, the real node still refuses
 *   its invite (403 `forbidden`) and the dialog says so plainly;
 * - A removes B after a confirmation; B stays listed, marked removed;
 * - a device C that holds no workspace (started with an invite whose only
 *   address is unreachable, as the desktop app is on its first run) joins
 *   through the first-run "Join a workspace" dialog: a malformed line is
 *   refused inline, an unreachable address is shown as such, A's invite
 *   admits it and A lists it by name; the same line used again by another
 *   such device D is refused by A, and D's dialog shows A's reason;
 * - rendering of a larger workspace (substituted `member/list`, so every
 *   state is shown deterministically), with screenshots of the Members view
 *   and the invite dialog in the light and the dark theme.
 */
import { expect, test, type Locator, type Page, type TestInfo } from "@playwright/test";
import type { Member } from "../src-shared/memberMethods";
import { nodeInfoSchema } from "../src-shared/contract";
import { inviteFrom, startServe, type ServeProcess } from "../test/support/startServe";

const servers: ServeProcess[] = [];

async function serve(args: string[] = []): Promise<ServeProcess> {
  const s = await startServe({ args });
  servers.push(s);
  return s;
}

async function nodeId(s: ServeProcess): Promise<string> {
  const { status, body } = await s.call("node/info", {});
  expect(status, JSON.stringify(body)).toBe(200);
  return nodeInfoSchema.parse(body).nodeId;
}

async function open(page: Page, s: ServeProcess): Promise<void> {
  await page.goto(`${s.base}/?token=${s.token}`);
  await expect(page.getByTestId("column-1_backlog")).toBeVisible();
}

/** Opens the Members view from the header with the keyboard (Tab to the button, Enter). */
async function openMembers(page: Page): Promise<Locator> {
  const button = page.getByRole("button", { name: "Members", exact: true });
  await button.focus();
  await page.keyboard.press("Enter");
  const panel = page.getByTestId("members-panel");
  await expect(panel).toBeVisible();
  await expect(panel.getByRole("heading", { name: "Members" })).toBeVisible();
  return panel;
}

/** Creates an invite in A's open Members view, keyboard only; returns the line. */
async function inviteInUi(page: Page, panel: Locator, name: string, role: "member" | "admin" = "member"): Promise<string> {
  await panel.getByTestId("members-invite").focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByTestId("invite-dialog");
  await expect(dialog.getByTestId("invite-name")).toBeFocused();
  await page.keyboard.type(name);
  if (role === "admin") await dialog.getByTestId("invite-role-admin").check();
  await page.keyboard.press("Enter");
  const line = dialog.getByTestId("invite-line");
  await expect(line).toBeVisible();
  await expect(line).toBeFocused();
  const invite = await line.inputValue();
  expect(invite).toMatch(/^\S+$/);
  return invite;
}

async function shoot(locator: Locator, testInfo: TestInfo, name: string): Promise<void> {
  await locator.screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

test("A invites B, B joins with --join: A lists B by name; B sees no admin actions and is refused; A removes B", async ({ page, context }, testInfo) => {
  const a = await serve();
  const aId = await nodeId(a);
  await open(page, a);
  let panel = await openMembers(page);
  await expect(panel.getByTestId("member-row")).toHaveCount(1);
  const self = panel.locator(`[data-testid="member-row"][data-node-id="${aId}"]`);
  await expect(self).toHaveAttribute("data-role", "admin");
  await expect(self).toContainText("this device");

  const invite = await inviteInUi(page, panel, "Laptop B");
  await shoot(page.getByTestId("invite-dialog"), testInfo, "invite-dialog-real");
  await page.getByTestId("invite-copy").click();
  await expect(page.getByTestId("invite-copy-status")).toHaveText(/Copied|Could not copy/);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("invite-dialog")).toHaveCount(0);
  await expect(panel.getByTestId("members-invite")).toBeFocused();

  // B joins from the command line; A's open view lists it by name (member/changed), no reload.
  const b = await serve(["--join", invite]);
  const bId = await nodeId(b);
  const bRow = panel.locator(`[data-testid="member-row"][data-node-id="${bId}"]`);
  await expect(bRow.getByTestId("member-name")).toHaveText("Laptop B");
  await expect(bRow).toHaveAttribute("data-role", "member");
  await expect(bRow).toHaveAttribute("data-removed", "false");
  await expect(bRow).toContainText(bId.slice(0, 8));
  await expect(bRow.getByTestId("member-last-seen")).not.toHaveText("—");
  await shoot(panel, testInfo, "members-a-real");

  // B, a plain member: the list, no Invite, no Remove, and a line saying who can.
  const pageB = await context.newPage();
  await open(pageB, b);
  const panelB = await openMembers(pageB);
  await expect(panelB.locator(`[data-testid="member-row"][data-node-id="${aId}"]`)).toHaveAttribute("data-role", "admin");
  await expect(panelB.locator(`[data-testid="member-row"][data-node-id="${bId}"]`)).toContainText("this device");
  await expect(panelB.getByRole("button", { name: "Invite" })).toHaveCount(0);
  await expect(panelB.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
  await expect(panelB.getByTestId("members-not-admin")).toContainText("Only admins can invite or remove members");
  await shoot(panelB, testInfo, "members-b-plain-member");
  await pageB.keyboard.press("Escape");

  // B's page believes it is an admin (a stale view): the real node still refuses, and the dialog says so.
  await pageB.route(/\/api\/member\/list$/, async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { members: Member[] };
    await route.fulfill({ json: { members: body.members.map((m) => (m.nodeId === bId ? { ...m, role: "admin" } : m)) } });
  });
  await pageB.reload();
  const staleB = await openMembers(pageB);
  await staleB.getByTestId("members-invite").click();
  await pageB.getByTestId("invite-name").fill("Sneaky");
  await pageB.getByTestId("invite-create").click();
  await expect(pageB.getByTestId("invite-error")).toContainText("Only an admin can invite");
  await expect(pageB.getByTestId("invite-line")).toHaveCount(0);
  await pageB.close();

  // A removes B, after a confirmation that defaults to Cancel.
  await bRow.getByRole("button", { name: "Remove Laptop B" }).click();
  const confirm = page.getByTestId("remove-dialog");
  await expect(confirm.getByRole("heading", { name: "Remove Laptop B?" })).toBeVisible();
  await expect(confirm.getByTestId("remove-cancel")).toBeFocused();
  await shoot(confirm, testInfo, "remove-dialog");
  await confirm.getByTestId("remove-confirm").click();
  await expect(confirm).toHaveCount(0);
  await expect(bRow).toHaveAttribute("data-removed", "true");
  await expect(bRow).toContainText("Removed");
  await expect(panel.getByTestId("members-count")).toHaveText("1 member");
  panel = page.getByTestId("members-panel");
  await expect(panel).toBeFocused();
});

test("a device that holds no workspace joins through the UI: bad line, unreachable address, success, a used invite refused", async ({ page, context }, testInfo) => {
  const a = await serve();
  // Z's invites carry only an address where nothing listens: a device started with one adopts Z's
  // workspace but reaches nobody, so it still holds nothing — like the desktop app on its first run.
  const z = await serve(["--advertise", "ws://127.0.0.1:9/sync"]);
  const c = await serve(["--join", await inviteFrom(z, "C first try")]);
  const cId = await nodeId(c);

  const pageA = await context.newPage();
  await open(pageA, a);
  const panelA = await openMembers(pageA);
  const invite = await inviteInUi(pageA, panelA, "Desktop C");
  await pageA.keyboard.press("Escape");

  // C's first run offers joining.
  await open(page, c);
  await page.getByTestId("first-run-join").getByRole("button", { name: "Join a workspace…" }).click();
  let dialog = page.getByTestId("join-dialog");
  await expect(dialog.getByTestId("join-invite")).toBeFocused();
  await dialog.getByTestId("join-submit").click();
  await expect(dialog.getByTestId("join-error")).toContainText("Paste the invite line");
  await dialog.getByTestId("join-invite").fill("not-an-invite");
  await page.keyboard.press("Enter"); // one line: Enter joins
  await expect(dialog.getByTestId("join-error")).toContainText("not a valid invite");
  await expect(dialog.getByTestId("join-invite")).toHaveAttribute("aria-invalid", "true");
  await shoot(dialog, testInfo, "join-bad-line");

  // An invite whose address cannot be reached: the dialog says so while it waits.
  await dialog.getByTestId("join-invite").fill(await inviteFrom(z, "C second try"));
  await dialog.getByTestId("join-submit").click();
  const dead = dialog.getByTestId("join-link");
  await expect(dead).toContainText("ws://127.0.0.1:9/sync");
  await expect(dead.getByTestId("join-link-state")).toContainText("cannot reach it");
  await shoot(dialog, testInfo, "join-unreachable");
  await dialog.getByRole("button", { name: "Close" }).first().click();
  await expect(dialog).toHaveCount(0);

  // Still holding nothing, C pastes A's invite (with the line break a chat client added): admitted.
  await page.getByTestId("first-run-join").getByRole("button", { name: "Join a workspace…" }).click();
  dialog = page.getByTestId("join-dialog");
  await dialog.getByTestId("join-invite").fill(`${invite.slice(0, 20)}\n${invite.slice(20)}\n`);
  await dialog.getByTestId("join-submit").click();
  await expect(dialog.getByTestId("join-done")).toContainText("Desktop C", { timeout: 30_000 });
  await shoot(dialog, testInfo, "join-done");
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toHaveCount(0);

  // A's open Members view lists C by name (member/changed).
  await expect(panelA.locator(`[data-testid="member-row"][data-node-id="${cId}"]`).getByTestId("member-name")).toHaveText("Desktop C");

  // The same line on another device that holds nothing: A refuses it, and the dialog shows A's reason.
  const d = await serve(["--join", await inviteFrom(z, "D")]);
  const pageD = await context.newPage();
  await open(pageD, d);
  await pageD.getByTestId("first-run-join").getByRole("button", { name: "Join a workspace…" }).click();
  await pageD.getByTestId("join-invite").fill(invite);
  await pageD.getByTestId("join-submit").click();
  await expect(pageD.getByTestId("join-link-state")).toContainText(/refused: .*already used/, { timeout: 30_000 });
  await expect(pageD.getByTestId("join-done")).toHaveCount(0);
  await shoot(pageD.getByTestId("join-dialog"), testInfo, "join-refused");
});

const key = (c: string) => c.repeat(64);

/** Times relative to `NOW`, taken when the page is about to load (the view shows "40 min ago"). */
function fixtureMembers(selfId: string, NOW: number): Member[] {
  return [
    { nodeId: selfId, name: "Ada (server)", role: "admin", addedBy: null, addedAt: NOW - 3 * 86_400_000, removed: false },
    { nodeId: key("b"), name: "Grace's laptop", role: "admin", addedBy: selfId, addedAt: NOW - 2 * 86_400_000, removed: false },
    { nodeId: key("c"), name: "CI agent", role: "member", addedBy: key("b"), addedAt: NOW - 40 * 60_000, removed: false },
    { nodeId: key("d"), name: "Old desktop", role: "member", addedBy: selfId, addedAt: NOW - 5 * 86_400_000, removed: true },
    // From before membership (a migrated data dir): no name.
    { nodeId: key("e"), name: "", role: "member", addedBy: null, addedAt: NOW - 9 * 86_400_000, removed: false },
  ];
}

for (const scheme of ["light", "dark"] as const) {
  test(`renders a workspace's members and the invite dialog (${scheme})`, async ({ page }, testInfo) => {
    const a = await serve();
    const aId = await nodeId(a);
    await page.emulateMedia({ colorScheme: scheme });
    const now = Date.now();
    await page.route(/\/api\/member\/list$/, (route) => route.fulfill({ json: { members: fixtureMembers(aId, now) } }));
    await page.route(/\/api\/member\/invite$/, (route) => route.fulfill({ json: { invite: `musher1:${"x".repeat(120)}` } }));
    await open(page, a);
    const panel = await openMembers(page);
    const rows = panel.getByTestId("member-row");
    // Current members by when they were added, the removed one last.
    await expect(rows.getByTestId("member-name")).toHaveText(["device eeeeeeee…", "Ada (server)", "Grace's laptop", "CI agent", "Old desktop"]);
    await expect(panel.getByTestId("members-count")).toHaveText("4 members");
    await expect(rows.nth(1)).toContainText("founding member");
    await expect(rows.nth(1)).toContainText("this device");
    await expect(rows.nth(3)).toContainText("by Grace's laptop");
    await expect(rows.nth(3)).toContainText("40 min ago");
    await expect(rows.nth(3).getByTestId("member-last-seen")).toHaveText("—");
    await expect(rows.nth(4)).toHaveAttribute("data-removed", "true");
    // Remove is offered for the others who are still members, not for this device or the removed one.
    await expect(panel.getByTestId("member-remove")).toHaveCount(3);
    await shoot(panel, testInfo, `members-${scheme}`);
    await page.screenshot({ path: testInfo.outputPath(`members-${scheme}-page.png`) });

    await panel.getByTestId("members-invite").click();
    const dialog = page.getByTestId("invite-dialog");
    await dialog.getByTestId("invite-create").click();
    await expect(dialog.getByTestId("invite-error")).toContainText("Give the new device a name");
    await dialog.getByTestId("invite-name").fill("Linus");
    await shoot(dialog, testInfo, `invite-form-${scheme}`);
    await dialog.getByTestId("invite-create").click();
    await expect(dialog.getByTestId("invite-line")).toHaveValue(/^musher1:x+$/);
    await shoot(dialog, testInfo, `invite-line-${scheme}`);
    await page.screenshot({ path: testInfo.outputPath(`invite-${scheme}-page.png`) });
  });
}
