/**
 * The folder/runtime rule is enforced by lint: these fixtures must fail.
 * (Linted as virtual files at the paths they would have.)
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/startServe";

const eslint = new ESLint({ cwd: ROOT });

async function ruleIds(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${path}` });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId ?? "");
}

describe("lint: the folder declares the runtime", () => {
  for (const folder of ["src-main/node", "src-main/api", "src-main/crdt", "src-main/host", "src-shared"]) {
    it(`fails when ${folder} imports electron`, async () => {
      const ids = await ruleIds(`${folder}/Fixture.ts`, 'import { app } from "electron";\nexport const x = app;\n');
      expect(ids).toContain("import/no-restricted-paths");
    });
  }

  it("fails when src-renderer imports src-main", async () => {
    const ids = await ruleIds(
      "src-renderer/src/Fixture.ts",
      'import { createNode } from "../../src-main/node/createNode";\nexport const x = createNode;\n',
    );
    expect(ids).toContain("import/no-restricted-paths");
  });

  it("allows the Electron shell to import electron", async () => {
    const ids = await ruleIds("src-main/app/Fixture.ts", 'import { app } from "electron";\nexport const x = app;\n');
    expect(ids).toEqual([]);
  });
});
