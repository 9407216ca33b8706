import { describe, expect, it } from "vitest";
import { userDataOverride } from "./userDataOverride";

describe("userDataOverride", () => {
  it("is off unless MUSHER_USER_DATA is set", () => {
    expect(userDataOverride({})).toBeNull();
    expect(userDataOverride({ MUSHER_USER_DATA: "" })).toBeNull();
  });

  it("takes an absolute path and refuses a relative one", () => {
    expect(userDataOverride({ MUSHER_USER_DATA: "/tmp/musher-e2e" })).toBe("/tmp/musher-e2e");
    expect(() => userDataOverride({ MUSHER_USER_DATA: "data" })).toThrow(/absolute/);
  });
});
