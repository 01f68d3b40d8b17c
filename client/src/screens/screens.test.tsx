import { act, fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ANN, BOB, CY, member, turn, view } from "../test/fixtures";
import { fakeApi, renderWith, stubThemes } from "../test/render";
import { Finished } from "./Finished";
import { Guessing } from "./Guessing";
import { codeFromInput, Home } from "./Home";
import { Lobby } from "./Lobby";
import { Prompting } from "./Prompting";
import { Reveal } from "./Reveal";
import { Generating } from "./Generating";

beforeEach(() => {
  stubThemes(["mixed", "animals", "space"]);
});
afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe("Prompting", () => {
  const mine = (extra = {}) =>
    view({ revision: 3, phase: "prompting", deadline: null, turn: turn({ giverId: ANN, guesserIds: [BOB, CY], ...extra }) });

  it("counts words live against the limit and sends the prompt", async () => {
    const { api, sent } = fakeApi({ "prompt:submit": { ok: true, prompt: "a cat surfing" } });
    renderWith(<Prompting view={mine()} />, { api });
    const box = screen.getByLabelText(/Describe a picture in at most 5 words/);
    expect(box).toHaveFocus();
    expect(screen.getByTestId("word-counter").textContent).toBe("0 / 5 words");
    const user = userEvent.setup();
    await user.type(box, "a cat surfing a big wave");
    expect(screen.getByTestId("word-counter").textContent).toBe("Too many words: 6 / 5 words");
    expect(screen.getByRole("button", { name: /Draw it/ })).toBeDisabled();
    await user.clear(box);
    await user.type(box, "a cat surfing{Enter}");
    expect(sent).toEqual([{ event: "prompt:submit", payload: { text: "a cat surfing" } }]);
  });

  it("offers ideas that fill the prompt box", async () => {
    const { api } = fakeApi({ "prompt:suggest": { ok: true, suggestions: ["red balloon", "pizza party", "snowy mountain"] } });
    renderWith(<Prompting view={mine()} />, { api });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: /Give me ideas/ }));
    const ideas = screen.getByRole("list", { name: "Suggested prompts" });
    await user.click(within(ideas).getByRole("button", { name: "pizza party" }));
    expect(screen.getByLabelText(/Describe a picture/)).toHaveValue("pizza party");
    expect(screen.getByTestId("word-counter").textContent).toBe("2 / 5 words");
  });

  it("shows the server's refusal", async () => {
    const { api } = fakeApi({ "prompt:submit": { ok: false, error: { code: "prompt_blocked", message: "x" } } });
    renderWith(<Prompting view={mine()} />, { api });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Describe a picture/), "something rude{Enter}");
    expect(screen.getByRole("alert").textContent).toMatch(/not allowed here/);
  });

  it("after a failed image, explains and keeps the prompt for another try", () => {
    renderWith(<Prompting view={mine({ prompt: "angry cat", failures: 1, failureReason: "The provider timed out." })} />);
    expect(screen.getByRole("alert").textContent).toMatch(/could not be drawn.*The provider timed out/);
    expect(screen.getByLabelText(/Describe a picture/)).toHaveValue("angry cat");
  });

  it("tells everyone else who is writing", () => {
    renderWith(<Prompting view={view({ phase: "prompting", turn: turn({ giverId: BOB }) })} />);
    expect(screen.getByText("Bob")).toBeInTheDocument();
    expect(screen.getByText(/is writing a prompt/)).toBeInTheDocument();
    expect(screen.queryByRole("textbox")).toBeNull();
  });
});

describe("Generating", () => {
  it("shows a waiting state", () => {
    renderWith(<Generating view={view({ phase: "generating", turn: turn({ giverId: BOB }) })} />);
    expect(screen.getByText("Drawing Bob's prompt…")).toBeInTheDocument();
  });
});

describe("Guessing", () => {
  const guessing = (extra = {}) =>
    view({
      revision: 7,
      phase: "guessing",
      turn: turn({ giverId: BOB, imageUrl: "/images/abc.svg", hint: ["_____", "___"], ...extra }),
    });

  it("shows the image, the hint and takes guesses with their warmth", async () => {
    const { api, sent } = fakeApi({ "guess:submit": { ok: true, similarity: 55, warmth: "warm", solved: false, best: 55, guessesLeft: 9 } });
    renderWith(<Guessing view={guessing()} />, { api });
    expect(screen.getByRole("img", { name: "AI image: guess the prompt" })).toHaveAttribute("src", "/images/abc.svg");
    expect(screen.getByText("Hint: 2 words; word 1: 5 letters; word 2: 3 letters.")).toBeInTheDocument();
    const box = screen.getByLabelText("Your guess");
    expect(box).toHaveFocus();
    const user = userEvent.setup();
    await user.type(box, "happy dog{Enter}");
    expect(sent[0]).toEqual({ event: "guess:submit", payload: { text: "happy dog" } });
    const list = screen.getByRole("list", { name: "Your guesses" });
    expect(within(list).getByText("happy dog")).toBeInTheDocument();
    expect(within(list).getByText("Warm")).toBeInTheDocument();
    expect(within(list).getByText("55%")).toBeInTheDocument();
    expect(box).toHaveValue("");
  });

  it("shows your guesses from the view and the solved state", () => {
    const v = guessing({
      solvedIds: [ANN],
      yours: { guesses: [{ text: "angry cat", similarity: 100, warmth: "got it" }], best: 100, solved: true, guessesLeft: 9 },
    });
    renderWith(<Guessing view={v} />);
    expect(screen.getByText(/You got it!/)).toBeInTheDocument();
    expect(screen.queryByLabelText("Your guess")).toBeNull();
    expect(screen.getByText("Solved: 1 of 2")).toBeInTheDocument();
  });

  it("shows the prompt giver their prompt and no guess box", () => {
    const v = view({ phase: "guessing", you: { id: BOB, name: "Bob", role: "player", isHost: false, score: 0, joinsNextRound: false }, turn: turn({ giverId: BOB, prompt: "angry cat", imageUrl: "/images/a.svg" }) });
    renderWith(<Guessing view={v} />);
    expect(screen.getByText("“angry cat”")).toBeInTheDocument();
    expect(screen.queryByLabelText("Your guess")).toBeNull();
  });
});

describe("Reveal", () => {
  it("shows the prompt, the image with the prompt as alt text, and everyone's best guess", () => {
    const v = view({
      phase: "reveal",
      turn: turn({
        giverId: BOB,
        prompt: "angry cat",
        imageUrl: "/images/a.svg",
        giverPoints: 60,
        results: [
          { playerId: CY, name: "Cy", guess: "cross kitten", similarity: 80, points: 90 },
          { playerId: ANN, name: "Ann", guess: "angry cat", similarity: 100, points: 149 },
        ],
      }),
    });
    renderWith(<Reveal view={v} />);
    expect(screen.getByTestId("reveal-prompt").textContent).toBe("“angry cat”");
    expect(screen.getByRole("img", { name: "angry cat" })).toBeInTheDocument();
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getByRole("rowheader").textContent)).toEqual(["AAnn", "CCy"]);
    expect(within(rows[1]).getByText("+90")).toBeInTheDocument();
    expect(screen.getByText("+60")).toBeInTheDocument();
  });
});

describe("Lobby", () => {
  it("lets the host change settings and start", async () => {
    const { api, sent } = fakeApi();
    renderWith(<Lobby view={view({ canStart: true })} />, { api });
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText("Rounds"), "2");
    expect(sent).toContainEqual({ event: "room:settings", payload: { rounds: 2 } });
    expect(await screen.findByRole("option", { name: "Space" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /Start the game/ }));
    expect(sent).toContainEqual({ event: "game:start", payload: {} });
  });

  it("shows settings read-only to the others, with a ready toggle", async () => {
    const members = [member(ANN, "Ann"), member(BOB, "Bob", { ready: true }), member(CY, "Cy", { connected: false })];
    const you = { id: BOB, name: "Bob", role: "player" as const, isHost: false, score: 0, joinsNextRound: false };
    const { api, sent } = fakeApi();
    renderWith(<Lobby view={view({ members, you })} />, { api });
    expect(screen.queryByLabelText("Rounds")).toBeNull();
    expect(screen.getByText("Rounds").nextSibling?.textContent).toBe("3");
    expect(screen.queryByRole("button", { name: /Start the game/ })).toBeNull();
    expect(screen.getByText(/or for Ann to start the game/)).toBeInTheDocument();
    expect(screen.getByText("Offline")).toBeInTheDocument();
    expect(screen.getByText("Host")).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: /Ready!/ }));
    expect(sent).toContainEqual({ event: "player:ready", payload: { ready: false } });
  });

  it("explains why the game cannot start yet", () => {
    renderWith(<Lobby view={view({ canStart: false, members: [member(ANN, "Ann")] })} />);
    expect(screen.getByRole("button", { name: /Start the game/ })).toBeDisabled();
    expect(screen.getByText(/at least 2 connected players/)).toBeInTheDocument();
    expect(screen.getByTestId("room-code").textContent).toBe("K7QX2M");
  });
});

describe("Finished", () => {
  const finished = (youId = ANN) =>
    view({
      phase: "finished",
      you: { id: youId, name: youId === ANN ? "Ann" : "Bob", role: "player", isHost: youId === ANN, score: 0, joinsNextRound: false },
      standings: [
        { playerId: BOB, name: "Bob", score: 300, place: 1 },
        { playerId: ANN, name: "Ann", score: 200, place: 2 },
        { playerId: CY, name: "Cy", score: 100, place: 3 },
      ],
      album: [
        { turn: 1, round: 1, giverId: BOB, giverName: "Bob", prompt: "angry cat", imageUrl: "/images/a.svg", giverPoints: 60, bestGuesses: [{ playerId: ANN, name: "Ann", guess: "angry cat", similarity: 100, points: 149 }] },
        { turn: 2, round: 1, giverId: ANN, giverName: "Ann", prompt: "red balloon", imageUrl: "/images/b.png", giverPoints: 0, bestGuesses: [] },
      ],
    });

  it("shows the podium, the standings and the album with downloads", async () => {
    const { api, sent } = fakeApi();
    renderWith(<Finished view={finished()} />, { api });
    expect(screen.getByRole("heading", { name: "Bob wins!" })).toBeInTheDocument();
    const podium = screen.getByRole("list", { name: "Podium" });
    expect(within(podium).getAllByRole("listitem").map((li) => li.querySelector(".podium-name")?.textContent)).toEqual(["Ann", "Bob", "Cy"]);
    const links = screen.getAllByRole("link", { name: /Download image/ });
    expect(links.map((a) => a.getAttribute("download"))).toEqual(["imprompt-K7QX2M-turn-1.svg", "imprompt-K7QX2M-turn-2.png"]);
    expect(screen.getByRole("img", { name: "red balloon" })).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: /New game/ }));
    expect(sent).toEqual([{ event: "game:new", payload: {} }]);
  });

  it("every player can play again; only the host opens a new game", async () => {
    const { api, sent } = fakeApi();
    renderWith(<Finished view={finished(BOB)} />, { api });
    expect(screen.queryByRole("button", { name: /New game/ })).toBeNull();
    await userEvent.setup().click(screen.getByRole("button", { name: /Play again/ }));
    expect(sent).toEqual([{ event: "player:ready", payload: { ready: true } }]);
  });
});

describe("Home", () => {
  it("remembers the name and joins with a tidied code", async () => {
    localStorage.setItem("imprompt.name", "Ada");
    const { api } = fakeApi();
    renderWith(<Home inviteCode={null} />, { api });
    expect(screen.getByLabelText("Your name")).toHaveValue("Ada");
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Room code"), " k7qx2m{Enter}");
    expect(api.join).toHaveBeenCalledWith("K7QX2M", "Ada", false);
  });

  it("keeps the code of a pasted invite link or a code with spaces", async () => {
    localStorage.setItem("imprompt.name", "Ada");
    const { api } = fakeApi();
    renderWith(<Home inviteCode={null} />, { api });
    const box = screen.getByLabelText("Room code");
    const user = userEvent.setup();
    await user.click(box);
    await user.paste("http://localhost:5000/r/2QFBRM");
    expect(box).toHaveValue("2QFBRM");
    await user.paste(" 2qfbrm ");
    expect(box).toHaveValue("2QFBRM");
    await user.clear(box);
    await user.paste("https://imprompt.example/r/k7qx2m?from=chat");
    await user.type(box, "{Enter}");
    expect(api.join).toHaveBeenCalledWith("K7QX2M", "Ada", false);
    // a paste that the page does not see as a paste event (drag and drop, a keyboard's clipboard)
    fireEvent.change(box, { target: { value: "https://imprompt.example/r/H4PZ9X" } });
    expect(box).toHaveValue("H4PZ9X");
  });

  it("tidies what is typed into a code", () => {
    expect(codeFromInput("http://localhost:5000/r/2QFBRM")).toBe("2QFBRM");
    expect(codeFromInput("https://imprompt.example/r/2qfbrm/")).toBe("2QFBRM");
    expect(codeFromInput(" 2qfbrm ")).toBe("2QFBRM");
    expect(codeFromInput("2QF BRM")).toBe("2QFBRM");
    expect(codeFromInput("\t2qf-brm\n")).toBe("2QFBRM");
    expect(codeFromInput("k7qx2mzzz")).toBe("K7QX2M");
    expect(codeFromInput("")).toBe("");
  });

  it("checks the name and the code before asking the server", async () => {
    const { api } = fakeApi();
    renderWith(<Home inviteCode={null} />, { api });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: /Create a room/ }));
    expect(screen.getByText("Type a name first.")).toBeInTheDocument();
    expect(api.create).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText("Your name"), "Ann");
    await user.type(screen.getByLabelText("Room code"), "OOPS{Enter}");
    expect(screen.getByText(/Room codes are 6 letters/)).toBeInTheDocument();
    expect(api.join).not.toHaveBeenCalled();
  });

  it("opens on the join form for an invite link, spectating if asked", async () => {
    const { api } = fakeApi();
    renderWith(<Home inviteCode="K7QX2M" />, { api });
    expect(screen.getByRole("heading", { name: "Join room K7QX2M" })).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Your name"), "Cy");
    await user.click(screen.getByLabelText(/spectator/));
    fireEvent.submit(screen.getByLabelText("Room code").closest("form")!);
    await act(async () => undefined);
    expect(api.join).toHaveBeenCalledWith("K7QX2M", "Cy", true);
  });
});

describe("winner title", () => {
  it("names one winner or shares the win", async () => {
    const { winnerTitle } = await import("./Finished");
    const s = (name: string, place: number) => ({ playerId: name, name, score: 1, place });
    expect(winnerTitle([s("Ann", 1), s("Bob", 2)])).toBe("Ann wins!");
    expect(winnerTitle([s("Ann", 1), s("Bob", 1)])).toBe("Ann and Bob share the win!");
    expect(winnerTitle([s("Ann", 1), s("Bob", 1), s("Cy", 1)])).toBe("Ann, Bob and Cy share the win!");
    expect(winnerTitle([])).toBe("Game over");
  });
});
