import { describe, expect, it } from "vitest";
import { resolveRendererSource } from "./resolveRendererSource";

const indexPath = "/app/out/renderer/index.html";

describe("resolveRendererSource", () => {
  it("uses the built files unless a dev server URL is given", () => {
    expect(resolveRendererSource({ isPackaged: false, devServerUrl: undefined, indexPath })).toEqual({
      kind: "file",
      indexPath,
    });
  });

  it("uses the dev server in an unpackaged app", () => {
    expect(resolveRendererSource({ isPackaged: false, devServerUrl: "http://localhost:5173", indexPath })).toEqual({
      kind: "dev",
      url: "http://localhost:5173",
      origin: "http://localhost:5173",
    });
  });

  it("ignores ELECTRON_RENDERER_URL in a packaged app", () => {
    expect(resolveRendererSource({ isPackaged: true, devServerUrl: "https://evil.example", indexPath }).kind).toBe("file");
  });

  it("refuses a dev URL that is not http(s)", () => {
    expect(() => resolveRendererSource({ isPackaged: false, devServerUrl: "file:///etc/passwd", indexPath })).toThrow();
    expect(() => resolveRendererSource({ isPackaged: false, devServerUrl: "nonsense", indexPath })).toThrow();
  });
});
