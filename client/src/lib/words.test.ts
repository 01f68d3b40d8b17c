import { describe, expect, it } from "vitest";
import { checkWords, countWords } from "./words";

describe("word counter", () => {
  it("counts words split on any whitespace, like the server", () => {
    expect(countWords("")).toBe(0);
    expect(countWords("   ")).toBe(0);
    expect(countWords("cat")).toBe(1);
    expect(countWords("  a  cat\tsurfing\na wave ")).toBe(5);
  });

  it("flags too many words and empty prompts", () => {
    expect(checkWords("a cat surfing a wave", 5)).toMatchObject({ words: 5, over: false, empty: false, label: "5 / 5 words" });
    expect(checkWords("a cat surfing a big wave", 5)).toMatchObject({ words: 6, over: true });
    expect(checkWords("", 5)).toMatchObject({ empty: true, over: false, label: "0 / 5 words" });
    expect(checkWords("123 456", 5).empty).toBe(true); // a prompt needs a letter
    expect(checkWords("cat", 1).label).toBe("1 / 1 word");
  });
});
