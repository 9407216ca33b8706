/**
 * Every text colour of both themes against every background it is drawn on
 * meets WCAG AA (4.5:1), read from the stylesheets themselves: the light
 * values in styles.css's and story.css's :root, the dark ones in theme.css.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contrastRatio } from "../src-renderer/src/lib/contrastRatio";

const css = (f: string) => readFileSync(new URL(`../src-renderer/src/${f}`, import.meta.url), "utf8");

function varsIn(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) out[m[1]!] = m[2]!;
  return out;
}

// story.css (the editor, card facts, toast) keeps its own light defaults in a :root block.
const light = { ...varsIn(/:root \{([^}]*)\}/.exec(css("styles.css"))![1]!), ...varsIn(/:root \{([^}]*)\}/.exec(css("story.css"))![1]!) };
const darkBlocks = [...css("theme.css").matchAll(/:root(?::not\(\[data-theme="light"\]\)|\[data-theme="dark"\]) \{([^}]*)\}/g)];
const dark = varsIn(darkBlocks[0]![1]!);

// [text, background] pairs the stylesheets draw.
const PAIRS: [string, string][] = [
  ...["text", "text-muted", "text-faint"].flatMap((t): [string, string][] =>
    ["bg", "surface", "column-bg", "drop-bg", "accent-bg-soft"].map((b): [string, string] => [t, b]),
  ),
  ["accent-strong", "accent-bg"],
  ["accent-strong", "surface"],
  ["on-accent", "accent"],
  ["warn-fg", "warn-bg"],
  ["ok-fg", "ok-bg"],
  ["danger", "danger-bg"],
  ["danger", "surface"],
  ["text", "accent-bg"],
  ["fact-fg", "fact-bg"],
  ["fact-conflict-fg", "fact-conflict-bg"],
  ["fact-blocked-fg", "fact-blocked-bg"],
  ["fact-agent-fg", "fact-agent-bg"],
  ["panel-muted", "surface"],
  ["over-fg", "column-bg"],
  ["toast-fg", "toast-bg"],
  ["toast-action", "toast-bg"],
];

describe("theme contrast (WCAG AA)", () => {
  it("finds both palettes, and the two dark blocks are the same", () => {
    expect(Object.keys(light).length).toBeGreaterThan(15);
    expect(darkBlocks).toHaveLength(2);
    expect(varsIn(darkBlocks[1]![1]!)).toEqual(dark);
  });
  for (const [name, vars] of [
    ["light", light],
    ["dark", dark],
  ] as const) {
    it(`${name}: every text colour reaches 4.5:1 on its backgrounds`, () => {
      const failing = PAIRS.map(([t, b]) => [t, b, contrastRatio(vars[t]!, vars[b]!)] as const).filter(([, , r]) => r < 4.5);
      expect(failing).toEqual([]);
    });
  }
  it("measures contrast like WCAG", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });
});
