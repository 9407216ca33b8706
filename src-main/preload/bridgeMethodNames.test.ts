import { describe, expect, it } from "vitest";
import { methodNames } from "../../src-shared/contract";
import { bridgeMethodNames } from "./bridgeMethodNames";

describe("bridgeMethodNames", () => {
  it("names exactly the contract's methods", () => {
    expect([...bridgeMethodNames].sort()).toEqual([...methodNames].sort());
  });

  it("has no duplicates", () => {
    expect(new Set(bridgeMethodNames).size).toBe(bridgeMethodNames.length);
  });
});
