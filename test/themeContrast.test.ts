/**
 * Every text colour of both themes against every background it is drawn on
 * meets WCAG AA (4.5:1), read from the stylesheets themselves: the light
 * values in styles.css's and story.css's :root, the dark ones in theme.css.
 * And the tokens are the only colours: no stylesheet writes a colour literal
 * outside a token block, and every light colour token has a dark value.
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
  ["text", "match-bg"],
  ["text", "warn-bg"],
];

const STYLESHEETS = ["forms.css", "styles.css", "sessions.css", "sessionDetail.css", "sync.css", "story.css", "board.css", "theme.css"];
const COLOUR = /#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(/;
/** A stylesheet without its token blocks (`:root …{ --x: …; }`, also inside theme.css's media query). */
const withoutTokens = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/:root[^{]*\{[^}]*\}/g, "");
/** Names of the tokens in `block` whose value is a colour (or a shadow made of one). */
const colourTokens = (block: string) => [...block.matchAll(/--([a-z0-9-]+):\s*([^;]+);/g)].filter((m) => COLOUR.test(m[2]!)).map((m) => m[1]!);

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
  it("no stylesheet writes a colour outside the token blocks", () => {
    const literals = STYLESHEETS.flatMap((f) =>
      withoutTokens(css(f))
        .split("\n")
        .filter((line) => COLOUR.test(line))
        .map((line) => `${f}: ${line.trim()}`),
    );
    expect(literals).toEqual([]);
  });
  it("every light colour token has a dark value", () => {
    const lightTokens = [/:root \{([^}]*)\}/.exec(css("styles.css"))![1]!, /:root \{([^}]*)\}/.exec(css("story.css"))![1]!].flatMap(colourTokens);
    const darkTokens = new Set(colourTokens(darkBlocks[0]![1]!));
    expect(lightTokens.length).toBeGreaterThan(40);
    expect(lightTokens.filter((t) => !darkTokens.has(t))).toEqual([]);
  });
  it("measures contrast like WCAG", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });
});
