import { describe, expect, it } from "vitest";
import { hintDescription } from "./hint";

describe("hint description for screen readers", () => {
  it("says how many words and letters, and which letters show", () => {
    expect(hintDescription(["_____", "___"])).toBe("Hint: 2 words; word 1: 5 letters; word 2: 3 letters.");
    expect(hintDescription(["_a___"])).toBe("Hint: 1 word; word 1: 5 letters, a in place 2.");
    expect(hintDescription([])).toBe("");
  });
});
