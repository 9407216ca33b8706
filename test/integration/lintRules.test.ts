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

describe("lint: the main process reads bottom-up", () => {
  const order = ["base", "crdt", "memory", "store", "sync", "api", "node", "host"];
  // A real module of each layer: the rule checks resolved paths.
  const moduleOf: Record<string, string> = {
    crdt: "Change",
    memory: "MemoryReducer",
    store: "openNodeStore",
    sync: "SyncService",
    api: "createApi",
    node: "createNode",
    host: "cli",
  };
  // Each layer importing the layer right above it must fail (the zone for that pair fires).
  for (let i = 0; i < order.length - 1; i++) {
    const low = order[i]!;
    const high = order[i + 1]!;
    it(`fails when ${low} imports ${high}`, async () => {
      const ids = await ruleIds(`src-main/${low}/Fixture.ts`, `import * as up from "../${high}/${moduleOf[high]!}";\nexport const x = up;\n`);
      expect(ids).toContain("import/no-restricted-paths");
    });
  }

  it("fails when a lower layer imports the Electron shell or the other composition root", async () => {
    expect(await ruleIds("src-main/api/Fixture.ts", 'import * as up from "../app/main";\nexport const x = up;\n')).toContain("import/no-restricted-paths");
    expect(await ruleIds("src-main/crdt/Fixture.ts", 'import * as up from "../node/createNode";\nexport const x = up;\n')).toContain("import/no-restricted-paths");
  });

  it("fails when base imports anything of ours", async () => {
    expect(await ruleIds("src-main/base/Fixture.ts", 'import * as c from "../../src-shared/contract";\nexport const x = c;\n')).toContain("import/no-restricted-paths");
    expect(await ruleIds("src-main/base/Fixture.ts", 'import * as c from "../crdt/Change";\nexport const x = c;\n')).toContain("import/no-restricted-paths");
  });

  it("allows a layer to import the ones below it", async () => {
    const ids = await ruleIds(
      "src-main/sync/Fixture.ts",
      'import { type Logger } from "../base/Logger";\nimport { Replica } from "../crdt/Replica";\nexport type L = Logger;\nexport const r = Replica;\n',
    );
    expect(ids).toEqual([]);
  });
});

describe("lint: production code never imports test support", () => {
  it("fails when a production file imports test/support", async () => {
    const ids = await ruleIds("src-main/crdt/Fixture.ts", 'import * as k from "../../test/support/crdt/testKit";\nexport const x = k;\n');
    expect(ids).toContain("import/no-restricted-paths");
  });

  it("fails when a renderer production file imports its testing folder", async () => {
    const ids = await ruleIds("src-renderer/src/board/Fixture.ts", 'import * as k from "../testing/testBoard";\nexport const x = k;\n');
    expect(ids).toContain("import/no-restricted-paths");
  });

  it("allows a test to import test support", async () => {
    const ids = await ruleIds("src-main/crdt/Fixture.test.ts", 'import * as k from "../../test/support/crdt/testKit";\nexport const x = k;\n');
    expect(ids).toEqual([]);
  });
});
