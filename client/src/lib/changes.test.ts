import { describe, expect, it } from "vitest";
import { ANN, BOB, CY, turn, view } from "../test/fixtures";
import { describeChange, ordinal } from "./changes";

describe("announcements", () => {
  const lobby = view({ revision: 1 });

  it("announces a new turn, and who writes", () => {
    const next = view({ revision: 2, phase: "prompting", turn: turn({ giverId: BOB }) });
    expect(describeChange(lobby, next).say).toEqual(["Round 1 of 3, turn 1. Bob is writing a prompt."]);
    const mine = view({ revision: 2, phase: "prompting", turn: turn({ giverId: ANN }) });
    const change = describeChange(lobby, mine);
    expect(change.say[0]).toMatch(/Your turn: write a prompt/);
    expect(change.sounds).toContain("turn");
  });

  it("announces the image and every solve but your own", () => {
    const generating = view({ revision: 3, phase: "generating", turn: turn() });
    const guessing = view({ revision: 4, phase: "guessing", turn: turn() });
    expect(describeChange(generating, guessing).say).toEqual(["The image is ready: guess the prompt!"]);
    const solved = view({ revision: 5, phase: "guessing", turn: turn({ solvedIds: [CY, ANN] }) });
    const change = describeChange(guessing, solved);
    expect(change.say).toEqual(["Cy solved it!"]);
    expect(change.sounds).toEqual(["otherSolved"]);
  });

  it("announces the results", () => {
    const guessing = view({ revision: 4, phase: "guessing", turn: turn() });
    const reveal = view({
      revision: 5,
      phase: "reveal",
      turn: turn({
        prompt: "angry cat",
        solvedIds: [ANN],
        results: [{ playerId: ANN, name: "Ann", guess: "angry cat", similarity: 100, points: 149 }],
        giverPoints: 60,
      }),
    });
    expect(describeChange(guessing, reveal).say).toEqual(["The prompt was “angry cat”. You scored 149 points. 1 player solved it."]);
  });

  it("announces the winner", () => {
    const finished = view({
      revision: 9,
      phase: "finished",
      standings: [
        { playerId: BOB, name: "Bob", score: 300, place: 1 },
        { playerId: ANN, name: "Ann", score: 200, place: 2 },
      ],
    });
    expect(describeChange(view({ revision: 8, phase: "reveal", turn: turn() }), finished).say).toEqual([
      "Game over. Bob wins with 300 points. You placed 2nd.",
    ]);
  });

  it("says nothing for the first view or another room", () => {
    expect(describeChange(null, lobby).say).toEqual([]);
    expect(describeChange(view({ code: "AAAAAA" }), lobby).say).toEqual([]);
  });

  it("writes ordinals", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22].map(ordinal)).toEqual(["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"]);
  });
});

describe("ties", () => {
  it("shares the win", () => {
    const finished = view({
      revision: 9,
      phase: "finished",
      standings: [
        { playerId: BOB, name: "Bob", score: 300, place: 1 },
        { playerId: CY, name: "Cy", score: 300, place: 1 },
        { playerId: ANN, name: "Ann", score: 200, place: 3 },
      ],
    });
    expect(describeChange(view({ revision: 8, phase: "reveal", turn: turn() }), finished).say).toEqual([
      "Game over. Bob and Cy share the win with 300 points. You placed 3rd.",
    ]);
  });
});
