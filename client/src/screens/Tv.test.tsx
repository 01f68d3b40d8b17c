import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChunkFailed } from "../App";
import { tvCodeFromPath, tvPath } from "../lib/route";
import type { AlbumEntry, View } from "../protocol";
import { ANN, BOB, CY, member, turn, view } from "../test/fixtures";
import { fakeApi, renderWith } from "../test/render";
import { Finished } from "./Finished";
import { Lobby } from "./Lobby";
import TvScreen, { TvRoom } from "./Tv";
import { qrPath } from "./TvQr";

const SCREEN = { id: "s_tv", name: "", role: "screen" as const, isHost: false, score: 0, joinsNextRound: false };

function tv(extra: Partial<View>): View {
  return { ...view(extra), you: SCREEN };
}

function album(n: number): AlbumEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    turn: i + 1,
    round: 1,
    giverId: i % 2 ? ANN : BOB,
    giverName: i % 2 ? "Ann" : "Bob",
    prompt: `prompt number ${i + 1}`,
    imageUrl: `/images/${i + 1}.svg`,
    bestGuesses: [{ playerId: CY, name: "Cy", guess: `guess ${i + 1}`, similarity: 80, points: 120 }],
    giverPoints: 50,
  }));
}

afterEach(() => document.documentElement.classList.remove("is-tv"));

describe("the big screen", () => {
  it("reads its room from /r/CODE/tv only", () => {
    expect(tvCodeFromPath("/r/k7qx2m/tv")).toBe("K7QX2M");
    expect(tvCodeFromPath("/r/K7QX2M/tv/")).toBe("K7QX2M");
    expect(tvCodeFromPath("/r/K7QX2M")).toBeNull();
    expect(tvCodeFromPath("/r/K7QX2M/tvx")).toBeNull();
    expect(tvPath("K7QX2M")).toBe("/r/K7QX2M/tv");
  });

  it("encodes the join link as a QR code of dark modules", () => {
    const { size, d } = qrPath("http://localhost:3000/r/K7QX2M");
    expect(size).toBeGreaterThanOrEqual(21); // version 1 or more
    expect((size - 17) % 4).toBe(0);
    expect(d).toMatch(/^M0 0h1v1h-1z/); // the top-left finder pattern starts dark
    expect(qrPath("http://localhost:3000/r/K7QX2N").d).not.toBe(d);
  });

  it("asks to watch the room once and shows why it cannot", async () => {
    const { api } = fakeApi();
    renderWith(<TvScreen code="K7QX2M" />, { api, state: { stage: "home", notice: { id: 1, kind: "error", text: "There is no room with that code." } } });
    expect(api.watchScreen).toHaveBeenCalledTimes(1);
    expect(api.watchScreen).toHaveBeenCalledWith("K7QX2M");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("There is no room with that code.");
    await userEvent.setup().click(screen.getByRole("button", { name: /Try again/ }));
    expect(api.watchScreen).toHaveBeenCalledTimes(2);
    expect(document.documentElement).toHaveClass("is-tv");
  });

  it("says so when its chunk cannot be fetched", () => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    function Missing(): never {
      throw new TypeError("Failed to fetch dynamically imported module");
    }
    renderWith(
      <ChunkFailed>
        <Missing />
      </ChunkFailed>,
    );
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("This screen could not load.");
    expect(screen.getByRole("button", { name: "Reload" })).toBeInTheDocument();
    quiet.mockRestore();
  });

  it("shows the join QR code large in the lobby, and no screen among the players", () => {
    renderWith(<TvRoom view={tv({ screens: 1 })} />);
    expect(screen.getByRole("img", { name: "QR code to join room K7QX2M" })).toBeInTheDocument();
    expect(screen.getByText("Players (3)")).toBeInTheDocument();
    expect(screen.queryByText("1 screen")).toBeNull();
  });

  it("shows the picture, the hint and who solved it while guessing, never a guess", () => {
    const v = tv({
      phase: "guessing",
      deadline: Date.now() / 1000 + 30,
      turn: turn({ imageUrl: "/images/x.svg", hint: ["_____", "___"], solvedIds: [CY] }),
    });
    renderWith(<TvRoom view={v} />);
    expect(screen.getByRole("img", { name: /Bob’s picture/ })).toHaveAttribute("src", "/images/x.svg");
    expect(screen.getByTestId("hint")).toBeInTheDocument();
    expect(screen.getByText("Solved: 1 of 2")).toBeInTheDocument();
    expect(screen.getByText("Cy").closest("li")).toHaveClass("solved");
    expect(screen.getByText("Ann").closest("li")).not.toHaveClass("solved");
    expect(screen.getByTestId("tv-timer").textContent).toMatch(/^(29|30)$/);
    expect(screen.getByRole("img", { name: /QR code/ })).toBeInTheDocument(); // joining mid-game still works
  });

  it("reveals the prompt with every best guess", () => {
    const results = [
      { playerId: ANN, name: "Ann", guess: "sleepy kitten", similarity: 88, points: 130 },
      { playerId: CY, name: "Cy", guess: null, similarity: 0, points: 0 },
    ];
    renderWith(<TvRoom view={tv({ phase: "reveal", turn: turn({ prompt: "sleepy cat", imageUrl: "/i.svg", results }) })} />);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("“sleepy cat”");
    expect(screen.getByText("“sleepy kitten”")).toBeInTheDocument();
    expect(screen.getByText("no guess")).toBeInTheDocument();
  });

  it("ends on the podium and the album picture the host chose", () => {
    const standings = [
      { playerId: ANN, name: "Ann", score: 300, place: 1 },
      { playerId: CY, name: "Cy", score: 200, place: 2 },
    ];
    renderWith(<TvRoom view={tv({ phase: "finished", standings, album: album(3), albumIndex: 1 })} />);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Ann wins!");
    expect(screen.getByTestId("tv-slide").textContent).toContain("Picture 2 of 3");
    expect(screen.getByRole("img", { name: "prompt number 2" })).toBeInTheDocument();
  });
});

describe("the phones' side of the big screen", () => {
  it("lets the host step the album on the TV", async () => {
    const { api, sent } = fakeApi();
    const v = view({ phase: "finished", standings: [], album: album(3), albumIndex: 0, screens: 1 });
    renderWith(<Finished view={v} />, { api });
    const user = userEvent.setup();
    expect(screen.getByRole("button", { name: "Previous" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(sent).toContainEqual({ event: "album:step", payload: { index: 1 } });
  });

  it("shows no album remote to a guest, nor without a screen", () => {
    const guest = view({ phase: "finished", standings: [], album: album(3), screens: 1, you: { id: BOB, name: "Bob", role: "player", isHost: false, score: 0, joinsNextRound: false } });
    const { unmount } = renderWith(<Finished view={guest} />);
    expect(screen.queryByRole("group", { name: "The album on the TV" })).toBeNull();
    unmount();
    renderWith(<Finished view={view({ phase: "finished", standings: [], album: album(3) })} />);
    expect(screen.queryByRole("group", { name: "The album on the TV" })).toBeNull();
  });

  it("offers the TV in the lobby and counts the screens", async () => {
    renderWith(<Lobby view={view({ screens: 2, members: [member(ANN, "Ann"), member(BOB, "Bob")] })} />, { state: { code: "K7QX2M" } });
    expect(screen.getByTestId("tv-link")).toHaveAttribute("href", "/r/K7QX2M/tv");
    expect(screen.getByTestId("screens-note").textContent).toContain("2 screens");
    await waitFor(() => expect(screen.getAllByRole("listitem").length).toBeGreaterThan(0));
  });
});
