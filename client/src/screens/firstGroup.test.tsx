// Issue 15, what a group meets in its first game: items 10, 13, 16 and 21 (the client's side).
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Header } from "../components/Header";
import { Scoreboard } from "../components/Scoreboard";
import { GameContext } from "../context";
import { initialState } from "../lib/state";
import { ANN, BOB, CY, member, turn, view } from "../test/fixtures";
import { fakeApi, renderWith, stubThemes } from "../test/render";
import { Generating } from "./Generating";
import { Guessing } from "./Guessing";
import { Home } from "./Home";
import { COPIED_MS, RoomCode } from "./Lobby";
import { Room } from "./Room";

beforeEach(() => {
  stubThemes();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  localStorage.clear();
});

const DAN = "p_dan";
const lateJoiner = (round: number, rounds: number) => {
  const members = [member(ANN, "Ann"), member(BOB, "Bob"), member(DAN, "Dan", { role: "spectator", joinsNextRound: true })];
  return view({
    phase: "guessing",
    members,
    you: { id: DAN, name: "Dan", role: "spectator", isHost: false, score: 0, joinsNextRound: true },
    round,
    rounds,
    turn: turn({ round, giverId: ANN, guesserIds: [BOB], imageUrl: "/images/a.svg" }),
  }, { rounds });
};

describe("item 10: a late joiner is told when they play", () => {
  it("before the last round: from the next round", () => {
    renderWith(<Room view={lateJoiner(1, 3)} />);
    expect(screen.getByText(/you play from the next round/)).toBeInTheDocument();
    expect(screen.queryByText(/next game/)).toBeNull();
  });

  it("in the last round: in the next game, on the note and the scoreboard", () => {
    renderWith(<Room view={lateJoiner(3, 3)} />);
    expect(screen.getByText(/You joined during the last round: you play in the next game/)).toBeInTheDocument();
    expect(screen.queryByText(/from the next round/)).toBeNull();
    expect(within(screen.getByTestId(`score-${DAN}`)).getByText("Next game")).toBeInTheDocument();
  });
});

describe("item 13: the writer learns at once that the timer chose the prompt", () => {
  const you = { id: BOB, name: "Bob", role: "player" as const, isHost: false, score: 0, joinsNextRound: false };
  const told = /Time ran out — we picked “red balloon” for you; you earn no points this turn/;

  it("while the image is drawn", () => {
    renderWith(<Generating view={view({ phase: "generating", you, turn: turn({ giverId: BOB, prompt: "red balloon", autoPrompt: true }) })} />);
    expect(screen.getByTestId("auto-prompt").textContent).toMatch(told);
  });

  it("while the others guess", () => {
    const v = view({ phase: "guessing", you, turn: turn({ giverId: BOB, prompt: "red balloon", autoPrompt: true, imageUrl: "/images/a.svg" }) });
    renderWith(<Guessing view={v} />);
    expect(screen.getByTestId("auto-prompt").textContent).toMatch(told);
  });

  it("not when the writer wrote it, nor to the guessers", () => {
    const mine = view({ phase: "generating", you, turn: turn({ giverId: BOB, prompt: "red balloon", autoPrompt: false }) });
    renderWith(<Generating view={mine} />);
    expect(screen.queryByTestId("auto-prompt")).toBeNull();
    const theirs = view({ phase: "guessing", turn: turn({ giverId: BOB, autoPrompt: null, imageUrl: "/images/a.svg" }) });
    renderWith(<Guessing view={theirs} />);
    expect(screen.queryByTestId("auto-prompt")).toBeNull();
  });
});

describe("item 16: errors by their field, watch instead, Escape, a fading copy note, Leave", () => {
  it("puts 'name taken' next to the name, not in the banner", async () => {
    localStorage.setItem("imprompt.name", "Ann");
    const { api } = fakeApi();
    api.join = vi.fn(async () => ({ code: "name_taken", message: "taken" }));
    const dispatch = vi.fn();
    render(
      <GameContext.Provider value={{ state: initialState, api, dispatch }}>
        <Home inviteCode="K7QX2M" />
      </GameContext.Provider>,
    );
    await userEvent.setup().click(screen.getByRole("button", { name: "Join" }));
    const name = screen.getByLabelText("Your name");
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(name).toHaveAccessibleDescription(/already has that name/);
    expect(name).toHaveFocus();
    expect(dispatch).toHaveBeenCalledWith({ type: "dismissNotice" });
    expect(screen.queryByRole("button", { name: /Watch instead/ })).toBeNull();
    await userEvent.setup().type(name, "2");
    expect(name).not.toHaveAttribute("aria-invalid", "true"); // a new name, no old error
  });

  it("puts 'room full' next to the code and offers to watch instead", async () => {
    localStorage.setItem("imprompt.name", "Eve");
    const { api } = fakeApi();
    api.join = vi.fn(async (_code: string, _name: string, spectator: boolean) =>
      spectator ? null : { code: "room_full", message: "full" },
    );
    renderWith(<Home inviteCode="K7QX2M" />, { api });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Join" }));
    const box = screen.getByLabelText("Room code");
    expect(box).toHaveAttribute("aria-invalid", "true");
    expect(box).toHaveAccessibleDescription("That room is full.");
    await user.click(screen.getByRole("button", { name: /Watch instead/ }));
    expect(api.join).toHaveBeenLastCalledWith("K7QX2M", "Eve", true);
    expect(screen.getByLabelText(/spectator/)).toBeChecked();
  });

  it("Escape leaves Manage mode and gives the focus back to its button", async () => {
    const v = view({ phase: "guessing", turn: turn({ giverId: BOB, imageUrl: "/images/a.svg" }) });
    renderWith(<Scoreboard view={v} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Manage" }));
    expect(screen.getByRole("button", { name: /Remove\s*Cy/  })).toBeInTheDocument();
    screen.getByRole("button", { name: /Remove\s*Cy/  }).focus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("button", { name: /Remove\s*Cy/  })).toBeNull();
    expect(screen.getByRole("button", { name: "Manage" })).toHaveFocus();
  });

  it("'Link copied!' goes away after a few seconds", async () => {
    vi.useFakeTimers();
    Object.defineProperty(navigator, "clipboard", { value: { writeText: vi.fn(async () => undefined) }, configurable: true });
    renderWith(<RoomCode code="K7QX2M" />);
    fireEvent.click(screen.getByRole("button", { name: /Copy invite link/ }));
    await act(async () => undefined);
    expect(screen.getByRole("status").textContent).toBe("Link copied!");
    act(() => vi.advanceTimersByTime(COPIED_MS - 100));
    expect(screen.getByRole("status").textContent).toBe("Link copied!");
    act(() => vi.advanceTimersByTime(200));
    expect(screen.getByRole("status").textContent).toBe("");
  });

  it("Leave asks in the app's own dialog: focus inside, Tab kept in, Escape cancels", async () => {
    const confirm = vi.spyOn(window, "confirm");
    const { api } = fakeApi();
    renderWith(<Header />, { api, state: { stage: "room", view: view(), connection: "online" } });
    const user = userEvent.setup();
    const leave = screen.getByRole("button", { name: "Leave" });
    await user.click(leave);
    const dialog = screen.getByRole("alertdialog", { name: "Leave this room?" });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    const stay = within(dialog).getByRole("button", { name: "Stay" });
    const go = within(dialog).getByRole("button", { name: "Leave the room" });
    expect(stay).toHaveFocus();
    await user.tab();
    expect(go).toHaveFocus();
    await user.tab();
    expect(stay).toHaveFocus(); // wraps around: the focus never leaves the dialog
    await user.tab({ shift: true });
    expect(go).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(leave).toHaveFocus();
    expect(api.leave).not.toHaveBeenCalled();

    await user.click(leave);
    await user.click(screen.getByRole("button", { name: "Leave the room" }));
    expect(api.leave).toHaveBeenCalledTimes(1);
    expect(confirm).not.toHaveBeenCalled();
  });
});

describe("item 21: the reconnect banner", () => {
  it("sits in the sticky header, its spinner apart from the text", () => {
    renderWith(<Header />, { state: { stage: "room", view: view({ members: [member(ANN, "Ann"), member(CY, "Cy")] }), connection: "restarting" } });
    const header = screen.getByRole("banner");
    const banner = within(header).getByRole("status");
    expect(banner.textContent).toMatch(/The server is restarting/);
    const spinner = banner.querySelector(".spinner")!;
    expect(spinner.nextElementSibling).toHaveClass("banner-text");
  });
});
