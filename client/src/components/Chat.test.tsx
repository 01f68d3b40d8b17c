import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ChatLine } from "../protocol";
import { ANN, BOB, CY, turn, view } from "../test/fixtures";
import { fakeApi, renderWith } from "../test/render";
import { Chat } from "./Chat";

const line = (id: number, extra: Partial<ChatLine> = {}): ChatLine => ({
  id,
  playerId: BOB,
  name: "Bob",
  text: "hi",
  at: 1_764_100_000,
  kind: "player",
  event: null,
  channel: "all",
  ...extra,
});

const guessing = (solvedIds: string[] = []) => view({ phase: "guessing", turn: turn({ giverId: BOB, solvedIds }) });

describe("Chat", () => {
  it("labels solved-channel lines and styles the moments of the game apart", () => {
    const chat = [
      line(1, { text: "hello all" }),
      line(2, { kind: "system", event: "solved", playerId: CY, name: "Cy", text: "Cy got it! +132" }),
      line(3, { playerId: CY, name: "Cy", text: "that was easy", channel: "solved" }),
      line(4, { kind: "system", event: "joined", playerId: "p_dee", name: "Dee", text: "Dee joined" }),
    ];
    renderWith(<Chat />, { state: { view: guessing([CY]), chat } });
    const items = within(screen.getByRole("log", { name: "Chat messages" })).getAllByRole("listitem");
    expect(items).toHaveLength(4);
    expect(items[0]).not.toHaveClass("chat-solved");
    expect(within(items[0]).queryByText("solved")).toBeNull();
    // a system line: its own style, the server's sentence, no name in front
    expect(items[1]).toHaveClass("chat-system", "chat-event-solved");
    expect(items[1].textContent).toMatch(/^Cy got it! \+132/);
    expect(items[1].querySelector(".chat-name")).toBeNull();
    // a solved-channel line carries the label
    expect(items[2]).toHaveClass("chat-solved");
    expect(within(items[2]).getByText("solved")).toHaveClass("chat-channel");
    expect(items[3]).toHaveClass("chat-system", "chat-event-joined");
  });

  it("lines from an older server (no kind or channel) show as before", () => {
    renderWith(<Chat />, { state: { chat: [{ id: 1, playerId: BOB, name: "Bob", text: "hi", at: 1 }] } });
    const item = screen.getByRole("listitem");
    expect(item).toHaveClass("chat-line");
    expect(item).not.toHaveClass("chat-system");
    expect(item.querySelector(".chat-name")?.textContent).toBe("Bob");
  });

  it("tells a guesser who types a guess into chat that guesses go in the guess box", async () => {
    const { api, sent } = fakeApi({
      "chat:send": { ok: false, error: { code: "guess_in_chat", message: "That looks like a guess." } },
    });
    renderWith(<Chat />, { state: { view: guessing(), chat: [] }, api });
    const user = userEvent.setup();
    const box = screen.getByLabelText("Chat message");
    await user.type(box, "skateboard?{Enter}");
    expect(sent).toEqual([{ event: "chat:send", payload: { text: "skateboard?" } }]);
    expect(screen.getByRole("alert").textContent).toMatch(/guess box/);
    expect(box).toHaveValue("skateboard?"); // kept, to paste into the guess box
    await user.type(box, "!");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("tells the giver and solvers, and only them, that they are talking in the solved channel", () => {
    const { unmount } = renderWith(<Chat />, { state: { view: guessing([ANN]), chat: [] } });
    expect(screen.getByTestId("solved-channel-note").textContent).toMatch(/players who got it/);
    expect(screen.getByLabelText("Chat message")).toHaveAttribute("placeholder", "Talk with the solvers…");
    unmount();
    renderWith(<Chat />, { state: { view: guessing([CY]), chat: [] } }); // Ann still guessing
    expect(screen.queryByTestId("solved-channel-note")).toBeNull();
    expect(screen.getByLabelText("Chat message")).toHaveAttribute("placeholder", "Say something…");
  });
});
