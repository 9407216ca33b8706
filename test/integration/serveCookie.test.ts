/**
 * Two `musher serve` nodes on 127.0.0.1 set differently named session
 * cookies (a browser shares cookies across ports of one host, so one name
 * made the second link log the first tab out), and each node accepts only
 * its own.
 */
import { afterEach, describe, expect, it } from "vitest";
import { serveFleet } from "../support/serveFleet";
import { startServe, type ServeProcess } from "../support/startServe";

const fleet = serveFleet();
afterEach(() => fleet.stopAll());

async function cookieOf(p: ServeProcess): Promise<string> {
  const res = await fetch(`${p.base}/?token=${p.token}`, { redirect: "manual" });
  expect(res.status).toBe(303);
  return (res.headers.get("set-cookie") ?? "").split(";")[0]!;
}

const boardWith = (p: ServeProcess, cookies: string): Promise<Response> =>
  fetch(`${p.base}/api/board/get`, { method: "POST", headers: { cookie: cookies, "content-type": "application/json" }, body: "{}" });

describe("session cookie per node", { timeout: 60_000 }, () => {
  it("names the cookie after the node, so two nodes' tabs in one browser both stay signed in", async () => {
    const [a, b] = [await fleet.track(startServe()), await fleet.track(startServe())];
    const [ca, cb] = [await cookieOf(a), await cookieOf(b)];
    const name = (c: string) => c.slice(0, c.indexOf("="));
    expect(name(ca)).toMatch(/^musher_token_[0-9a-f]{16}$/);
    expect(name(ca)).not.toBe(name(cb));
    // The browser sends both cookies to both ports: each node finds its own.
    expect((await boardWith(a, `${ca}; ${cb}`)).status).toBe(200);
    expect((await boardWith(b, `${ca}; ${cb}`)).status).toBe(200);
    expect((await boardWith(b, ca)).status).toBe(401);
  });
});
