import { describe, expect, it } from "vitest";
import { describeBindingFailure } from "./describeBindingFailure";

describe("describeBindingFailure", () => {
  it("names both ABIs when the module was built for another runtime", () => {
    const err = new Error(
      "The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 140. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).",
    );
    expect(describeBindingFailure(err)).toBe("was built for a different runtime (NODE_MODULE_VERSION 115; the running one needs 140)");
  });

  it("says when the file is not a native module for this platform", () => {
    expect(describeBindingFailure(new Error("/x/x.node: invalid ELF header"))).toBe("is not a native module for this platform (/x/x.node: invalid ELF header)");
    expect(describeBindingFailure(new Error("/x/x.node: file too short"))).toMatch(/^is not a native module for this platform/);
    expect(describeBindingFailure(new Error("dlopen(/x/x.node, 0x0001): tried: '/x/x.node' (mach-o file, but is an incompatible architecture)"))).toMatch(
      /^is not a native module for this platform/,
    );
  });

  it("says when a shared library is not a Node.js module", () => {
    expect(describeBindingFailure(new Error("Module did not self-register: '/x/y.node'."))).toBe("is not a Node.js native module (Module did not self-register: '/x/y.node'.)");
  });

  it("keeps only the first line of anything else, bounded", () => {
    const long = `${"a".repeat(1_000)}\n    at Module._extensions..node (node:internal)`;
    const reason = describeBindingFailure(new Error(long));
    expect(reason.startsWith("could not be loaded (aaa")).toBe(true);
    expect(reason).not.toMatch(/\bat Module/);
    expect(reason.length).toBeLessThan(300);
    expect(describeBindingFailure("boom")).toBe("could not be loaded (boom)");
  });
});
