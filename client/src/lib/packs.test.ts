import { describe, expect, it } from "vitest";
import type { AlbumEntry } from "../protocol";
import { albumPack, packFileText, packProblems } from "./packs";

function entry(turn: number, prompt: string): AlbumEntry {
  return { turn, round: 1, giverId: "a", giverName: "Ann", prompt, imageUrl: null, bestGuesses: [], giverPoints: 0 };
}

describe("prompt packs", () => {
  it("exports a finished game's prompts as a pack file, repeats dropped", () => {
    const pack = albumPack([entry(1, "a red apple"), entry(2, "A Red Apple "), entry(3, "a school bus")], "K7QX2M");
    expect(pack).toEqual({ name: "Game K7QX2M", language: "en", prompts: ["a red apple", "a school bus"] });
    expect(JSON.parse(packFileText(pack))).toEqual(pack);
  });

  it("splits the server's message into one problem per line", () => {
    const message = "line 2: Use at most 3 words (you used 5).; line 4: the same prompt as line 1; and 2 more";
    expect(packProblems(message)).toEqual(["line 2: Use at most 3 words (you used 5).", "line 4: the same prompt as line 1", "and 2 more"]);
    expect(packProblems("A pack needs at least 3 prompts (this one has 2).")).toHaveLength(1);
  });
});
