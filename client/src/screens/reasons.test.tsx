import { screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GuessReason } from "../components/GuessReason";
import { ANN, BOB, CY, turn, view } from "../test/fixtures";
import { renderWith, stubThemes } from "../test/render";
import { Finished } from "./Finished";
import { Reveal } from "./Reveal";

beforeEach(() => stubThemes(["mixed"]));
afterEach(() => vi.unstubAllGlobals());

/** What a screen reader reads: the text without what is hidden from it. */
function spoken(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll("[aria-hidden='true']").forEach((n) => n.remove());
  return (copy.textContent ?? "").replace(/\s+/g, " ").trim();
}

/** What the eye reads: the text without what only screen readers get. */
function seen(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll(".visually-hidden").forEach((n) => n.remove());
  return (copy.textContent ?? "").replace(/\s+/g, " ").trim();
}

describe("the reason of a best guess", () => {
  it("shows under each best guess at the reveal, in words for screen readers", () => {
    const v = view({
      phase: "reveal",
      turn: turn({
        giverId: BOB,
        prompt: "a pig wearing sunglasses",
        imageUrl: "/images/a.svg",
        giverPoints: 60,
        results: [
          { playerId: CY, name: "Cy", guess: "hog in shades", similarity: 86, points: 90, reason: "hog ≈ pig, shades ≈ sunglasses, in for wearing" },
          { playerId: ANN, name: "Ann", guess: null, similarity: 0, points: 0, reason: null },
        ],
      }),
    });
    renderWith(<Reveal view={v} />);
    const rows = screen.getAllByRole("row").slice(1);
    const cy = rows.find((r) => within(r).getByRole("rowheader").textContent?.includes("Cy"))!;
    const reason = within(cy).getByTestId("guess-reason");
    expect(seen(reason)).toBe("Why: hog ≈ pig, shades ≈ sunglasses, in for wearing");
    expect(spoken(reason)).toBe("Why: hog is close to pig, shades is close to sunglasses, in for wearing");
    expect(reason.closest("td")?.textContent).toContain("“hog in shades”");
    expect(reason.textContent).toContain("shades\u00a0≈"); // a pair wraps as one piece
    const ann = rows.find((r) => r !== cy)!;
    expect(within(ann).queryByTestId("guess-reason")).toBeNull();
    expect(within(ann).getByText("no guess")).toBeInTheDocument();
  });

  it("shows nothing without a reason (a server before reasons, or a turn before the reveal)", () => {
    const v = view({
      phase: "reveal",
      turn: turn({ giverId: BOB, prompt: "angry cat", results: [{ playerId: ANN, name: "Ann", guess: "cross kitten", similarity: 80, points: 90 }] }),
    });
    renderWith(<Reveal view={v} />);
    expect(screen.getByText("“cross kitten”")).toBeInTheDocument();
    expect(screen.queryByTestId("guess-reason")).toBeNull();
  });

  it("shows in the album under the best guess", () => {
    const v = view({
      phase: "finished",
      standings: [{ playerId: ANN, name: "Ann", score: 149, place: 1 }],
      album: [
        {
          turn: 1,
          round: 1,
          giverId: BOB,
          giverName: "Bob",
          prompt: "spider web",
          imageUrl: "/images/a.svg",
          giverPoints: 60,
          bestGuesses: [
            { playerId: CY, name: "Cy", guess: "web", similarity: 40, points: 20, reason: "web exact, spider missing" },
            { playerId: ANN, name: "Ann", guess: "cobweb", similarity: 90, points: 120, reason: "cobweb = spider web" },
          ],
        },
      ],
    });
    renderWith(<Finished view={v} />);
    const card = screen.getByText("“spider web”").closest("li")!;
    expect(within(card).getByText(/Best guess: “cobweb” by Ann/)).toBeInTheDocument();
    const reasons = within(card).getAllByTestId("guess-reason");
    expect(reasons.map(seen)).toEqual(["Why: cobweb = spider web"]);
    expect(spoken(reasons[0])).toBe("Why: cobweb means spider web");
  });

  it("reads a reason without symbols as it is", () => {
    renderWith(<GuessReason reason="nothing matched" />);
    expect(spoken(screen.getByTestId("guess-reason"))).toBe("Why: nothing matched");
  });
});
