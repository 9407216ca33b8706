import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { isTrustedSender, isTrustedUrl } from "./isTrustedSender";
import type { RendererSource } from "./resolveRendererSource";

const indexPath = "/opt/Musher/resources/app.asar/out/renderer/index.html";
const fileSource: RendererSource = { kind: "file", indexPath };
const devSource: RendererSource = { kind: "dev", url: "http://localhost:5173/", origin: "http://localhost:5173" };
const ours = pathToFileURL(indexPath).href;

describe("isTrustedUrl (file renderer)", () => {
  it("accepts our index.html, with or without query and fragment", () => {
    expect(isTrustedUrl(ours, fileSource, "linux")).toBe(true);
    expect(isTrustedUrl(`${ours}?x=1#/board`, fileSource, "linux")).toBe(true);
  });

  it("refuses other files, other schemes, remote hosts and garbage", () => {
    expect(isTrustedUrl("file:///opt/Musher/resources/app.asar/out/renderer/other.html", fileSource, "linux")).toBe(false);
    expect(isTrustedUrl("file:///tmp/evil/index.html", fileSource, "linux")).toBe(false);
    expect(isTrustedUrl(`file://evil.example${indexPath}`, fileSource, "linux")).toBe(false);
    expect(isTrustedUrl("https://evil.example/index.html", fileSource, "linux")).toBe(false);
    expect(isTrustedUrl("http://localhost:5173/", fileSource, "linux")).toBe(false);
    expect(isTrustedUrl("about:blank", fileSource, "linux")).toBe(false);
    expect(isTrustedUrl("not a url", fileSource, "linux")).toBe(false);
  });

  it("does not let a path traversal spelling escape the check", () => {
    const traversal = "file:///opt/Musher/resources/app.asar/out/renderer/../../../../../tmp/index.html";
    expect(isTrustedUrl(traversal, fileSource, "linux")).toBe(false);
    const sameFile = "file:///opt/Musher/resources/app.asar/out/renderer/./index.html";
    expect(isTrustedUrl(sameFile, fileSource, "linux")).toBe(true);
  });
});

describe("isTrustedUrl (dev server)", () => {
  it("accepts any page of the dev server origin only", () => {
    expect(isTrustedUrl("http://localhost:5173/", devSource)).toBe(true);
    expect(isTrustedUrl("http://localhost:5173/index.html#/x", devSource)).toBe(true);
    expect(isTrustedUrl("http://localhost:5174/", devSource)).toBe(false);
    expect(isTrustedUrl("http://127.0.0.1:5173/", devSource)).toBe(false);
    expect(isTrustedUrl("https://localhost:5173/", devSource)).toBe(false);
    expect(isTrustedUrl(ours, devSource)).toBe(false);
  });
});

describe("isTrustedSender", () => {
  const trusted = { frameUrl: ours, isMainFrame: true, isOurWindow: true };

  it("accepts the main frame of our window showing our UI", () => {
    expect(isTrustedSender(trusted, fileSource)).toBe(true);
  });

  it("refuses sub-frames, foreign windows and vanished frames", () => {
    expect(isTrustedSender({ ...trusted, isMainFrame: false }, fileSource)).toBe(false);
    expect(isTrustedSender({ ...trusted, isOurWindow: false }, fileSource)).toBe(false);
    expect(isTrustedSender({ ...trusted, frameUrl: null }, fileSource)).toBe(false);
  });
});
