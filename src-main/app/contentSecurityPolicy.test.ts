import { describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "./contentSecurityPolicy";

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split("; ").map((d) => {
    const [name = "", ...values] = d.split(" ");
    return [name, values];
  }));
}

describe("contentSecurityPolicy", () => {
  it("allows only the app's own files in production", () => {
    const csp = directives(contentSecurityPolicy({ kind: "file", indexPath: "/app/out/renderer/index.html" }));
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    for (const values of csp.values()) {
      expect(values).not.toContain("'unsafe-inline'");
      expect(values).not.toContain("'unsafe-eval'");
    }
  });

  it("adds the dev server origin and its HMR socket in dev", () => {
    const csp = directives(
      contentSecurityPolicy({ kind: "dev", url: "http://localhost:5173/", origin: "http://localhost:5173" }),
    );
    expect(csp.get("script-src")).toContain("http://localhost:5173");
    expect(csp.get("connect-src")).toEqual(["'self'", "http://localhost:5173", "ws://localhost:5173"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
  });
});
