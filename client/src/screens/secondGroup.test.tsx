// Issue 15, the client's side of items 6, 9, 11, 12 and 14.
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PlayerList } from "../components/PlayerList";
import { Scoreboard } from "../components/Scoreboard";
import { describeChange } from "../lib/changes";
import { initialState, reducer, type State } from "../lib/state";
import type { View } from "../protocol";
import { ANN, BOB, CY, member, turn, view } from "../test/fixtures";
import { fakeApi, renderWith, stubThemes } from "../test/render";
import { Finished } from "./Finished";
import { Lobby } from "./Lobby";
import { Room } from "./Room";

beforeEach(() => {
  stubThemes();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const asBob = { id: BOB, name: "Bob", role: "player" as const, isHost: false, score: 0, joinsNextRound: false };

describe("item 6: vote kicks ask first, can be taken back, show no count to the target", () => {
  it("a vote is sent only after the dialog's confirmation; Cancel sends nothing", async () => {
    const { api, sent } = fakeApi();
    renderWith(<PlayerList view={view({ you: asBob })} />, { api });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Vote to remove Cy" }));
    let dialog = screen.getByRole("alertdialog", { name: "Vote to remove Cy?" });
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(sent).toEqual([]);
    await user.click(screen.getByRole("button", { name: "Vote to remove Cy" }));
    dialog = screen.getByRole("alertdialog", { name: "Vote to remove Cy?" });
    await user.click(within(dialog).getByRole("button", { name: "Vote to remove" }));
    expect(sent).toEqual([{ event: "player:votekick", payload: { playerId: CY } }]);
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("a vote already cast shows Take back, which sends player:unvotekick", async () => {
    const { api, sent } = fakeApi();
    renderWith(<PlayerList view={view({ you: asBob, yourKickVotes: [CY], kickVotes: { [CY]: 1 } })} />, { api });
    expect(screen.queryByRole("button", { name: "Vote to remove Cy" })).toBeNull();
    await userEvent.setup().click(screen.getByRole("button", { name: "Take back vote to remove Cy" }));
    expect(sent).toEqual([{ event: "player:unvotekick", payload: { playerId: CY } }]);
  });

  it("the player voted on sees no count and nothing about votes", () => {
    // The server leaves the target's own count out of kickVotes.
    const v = view({ you: { ...asBob, id: CY, name: "Cy" }, kickVotes: {} });
    renderWith(<PlayerList view={v} />);
    expect(screen.queryByText(/vote/i, { selector: ".badge, .badge *" })).toBeNull();
    expect(document.body.textContent).not.toMatch(/vote\(s\)|votes? to remove you/i);
  });

  it("the host's Remove asks in the app's dialog, not window.confirm", async () => {
    const confirm = vi.spyOn(window, "confirm");
    const { api, sent } = fakeApi();
    renderWith(<PlayerList view={view()} />, { api });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Remove Bob" }));
    const dialog = screen.getByRole("alertdialog", { name: "Remove Bob?" });
    await user.keyboard("{Escape}");
    expect(sent).toEqual([]);
    await user.click(screen.getByRole("button", { name: "Remove Bob" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Remove" }));
    expect(sent).toEqual([{ event: "player:kick", payload: { playerId: BOB } }]);
    expect(confirm).not.toHaveBeenCalled();
    expect(dialog).not.toBeInTheDocument();
  });

  it("the scoreboard's Vote out asks first and can be taken back", async () => {
    const { api, sent } = fakeApi();
    const v = view({ phase: "guessing", you: asBob, turn: turn({ giverId: ANN, guesserIds: [BOB, CY] }) });
    const { unmount } = renderWith(<Scoreboard view={v} />, { api });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Manage" }));
    await user.click(screen.getByRole("button", { name: "Vote out Cy" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Vote to remove" }));
    expect(sent).toEqual([{ event: "player:votekick", payload: { playerId: CY } }]);
    unmount();
    renderWith(<Scoreboard view={{ ...v, yourKickVotes: [CY] }} />, { api });
    await user.click(screen.getByRole("button", { name: "Manage" }));
    await user.click(screen.getByRole("button", { name: "Take back vote to remove Cy" }));
    expect(sent[1]).toEqual({ event: "player:unvotekick", payload: { playerId: CY } });
  });
});

describe("item 9: a skipped turn is told and announced", () => {
  const skipped = (reason: "giver_left" | "no_image") =>
    view({ phase: "prompting", turn: turn({ number: 3, giverId: CY }), skippedTurn: { turn: 2, giverId: BOB, giverName: "Bo", reason } });

  it("says whose turn and why", () => {
    renderWith(<Room view={skipped("giver_left")} />);
    expect(screen.getByTestId("skipped-turn").textContent).toBe("Bo’s turn was skipped: they left.");
  });

  it("no picture could be drawn", () => {
    renderWith(<Room view={skipped("no_image")} />);
    expect(screen.getByTestId("skipped-turn").textContent).toBe("Bo’s turn was skipped: no picture could be drawn.");
  });

  it("is announced once, when it first shows", () => {
    const before = view({ phase: "reveal", turn: turn({ number: 2 }) });
    const after = skipped("giver_left");
    expect(describeChange(before, after).say).toContain("Bo’s turn was skipped: they left.");
    expect(describeChange(after, { ...after, revision: 2 }).say).not.toContain("Bo’s turn was skipped: they left.");
  });
});

const finished = (extra: Partial<View> = {}) =>
  view({
    phase: "finished",
    game: 1,
    standings: [
      { playerId: BOB, name: "Bob", score: 300, place: 1, left: true },
      { playerId: ANN, name: "Ann", score: 200, place: 2 },
      { playerId: CY, name: "Cy", score: 100, place: 3 },
    ],
    members: [member(ANN, "Ann"), member(CY, "Cy")],
    ...extra,
  });

describe("item 11: players who left stay on the podium and in the standings, greyed out", () => {
  it("keeps their place with a left label", () => {
    renderWith(<Finished view={finished()} />);
    const step = within(screen.getByRole("list", { name: "Podium" })).getByText("Bob").closest("li")!;
    expect(step).toHaveClass("has-left");
    expect(step.textContent).toMatch(/\(left\)/);
    const row = screen.getByTestId(`standing-${BOB}`).closest("li")!;
    expect(row).toHaveClass("has-left");
    expect(row.textContent).toMatch(/1st.*Bob \(left\)300/);
    expect(screen.getByTestId(`standing-${ANN}`).closest("li")).not.toHaveClass("has-left");
  });
});

describe("item 12: play again is each player's own", () => {
  const lobby = view({ phase: "lobby", game: 1, revision: 5 });
  const through = (...views: View[]): State =>
    views.reduce((s, v) => reducer(s, { type: "view", view: v }), { ...initialState, stage: "room", code: "K7QX2M" } as State);

  it("the room moving to the lobby keeps the last game on screen, with a way back", () => {
    const state = through(finished({ revision: 4 }), lobby);
    expect(state.lastFinished?.phase).toBe("finished");
    renderWith(<Room view={state.view!} />, { state });
    expect(screen.getByTestId("lobby-waiting").textContent).toMatch(/The others are in the lobby/);
    expect(screen.getByRole("list", { name: "Podium" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Play again/ })).toBeNull();
    expect(reducer(state, { type: "backToLobby" }).backInLobby).toBe(true);
  });

  it("after Back to the lobby (or Play again) the lobby shows", () => {
    const state = reducer(through(finished({ revision: 4 }), lobby), { type: "backToLobby" });
    renderWith(<Room view={state.view!} />, { state });
    expect(screen.queryByTestId("lobby-waiting")).toBeNull();
    expect(screen.getByRole("heading", { name: "Ready for another game?" })).toBeInTheDocument();
  });

  it("Play again says ready and goes to the lobby once the host opens it", async () => {
    const { api, sent } = fakeApi();
    renderWith(<Finished view={finished({ you: { ...asBob, id: CY, name: "Cy" } })} />, { api });
    await userEvent.setup().click(screen.getByRole("button", { name: /Play again/ }));
    expect(sent).toEqual([{ event: "player:ready", payload: { ready: true } }]);
  });

  it("a game under way forgets the last one", () => {
    const state = through(finished({ revision: 4 }), lobby, view({ phase: "prompting", revision: 6, turn: turn() }));
    expect(state.lastFinished).toBeNull();
    expect(state.backInLobby).toBe(false);
  });
});

describe("item 14: the lobby says who is ready and that the game starts when all are", () => {
  it("2 of 3 ready, and the host can still start", () => {
    const members = [member(ANN, "Ann", { ready: true }), member(BOB, "Bob", { ready: true }), member(CY, "Cy")];
    renderWith(<Lobby view={view({ members })} />);
    expect(screen.getByTestId("ready-count").textContent).toBe("2 of 3 ready — the game starts when everyone is ready");
    expect(screen.getByRole("button", { name: /Start the game/ })).toBeEnabled();
  });

  it("a player waits for everyone to be ready, or for the host", () => {
    renderWith(<Lobby view={view({ you: asBob })} />);
    expect(screen.getByText("Waiting for everyone to be ready, or for Ann to start the game.")).toBeInTheDocument();
  });
});
