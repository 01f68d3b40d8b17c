import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ANN, BOB, CY, turn, view } from "../test/fixtures";
import { fakeApi, renderWith, stubThemes } from "../test/render";
import { Generating } from "../screens/Generating";
import { SettingsForm } from "./SettingsForm";

const urls = ["/images/a.png", "/images/b.png", "/images/c.png", "/images/d.png"];

function reviewing(you: string, imageUrls: string[], canRegenerate = true) {
  const t = turn({ giverId: ANN, guesserIds: [BOB, CY], prompt: you === ANN ? "owl reading a map" : null });
  return view({
    phase: "generating",
    you: { id: you, name: "x", role: "player", isHost: false, score: 0, joinsNextRound: false },
    deadline: 1_764_100_020,
    turn: you === ANN ? { ...t, review: { imageUrls, canRegenerate } } : t,
  });
}

beforeEach(() => stubThemes(["mixed"]));
afterEach(() => vi.unstubAllGlobals());

describe("the writer's picture review", () => {
  it("offers each picture and sends the one picked", async () => {
    const { api, sent } = fakeApi();
    renderWith(<Generating view={reviewing(ANN, urls)} />, { api });
    expect(screen.getByRole("heading", { name: "Pick the picture" })).toBeInTheDocument();
    const grid = screen.getByRole("list", { name: "Pictures to choose from" });
    expect(within(grid).getAllByRole("img").map((i) => i.getAttribute("src"))).toEqual(urls);
    await userEvent.setup().click(screen.getByRole("button", { name: /Use picture 3/ }));
    expect(sent).toEqual([{ event: "image:pick", payload: { index: 2 } }]);
  });

  it("asks once for a new picture, or rejects one that gives the answer away", async () => {
    const { api, sent } = fakeApi();
    renderWith(<Generating view={reviewing(ANN, urls.slice(0, 1))} />, { api });
    expect(screen.getByRole("heading", { name: "Check your picture" })).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Draw a new one" }));
    await user.click(screen.getByRole("button", { name: "It gives the answer away" }));
    expect(sent).toEqual([
      { event: "image:regenerate", payload: {} },
      { event: "image:regenerate", payload: { reject: true } },
    ]);
  });

  it("after the one regeneration only the pick is left, and a refusal is shown", async () => {
    const { api } = fakeApi({ "image:pick": { ok: false, error: { code: "not_reviewing", message: "x" } } });
    renderWith(<Generating view={reviewing(ANN, urls.slice(0, 1), false)} />, { api });
    expect(screen.queryByRole("button", { name: /new one|gives the answer/ })).toBeNull();
    await userEvent.setup().click(screen.getByRole("button", { name: /Use this picture/ }));
    expect(screen.getByRole("alert").textContent).toMatch(/still being drawn/);
  });

  it("the guessers see the picture being drawn, never the candidates", () => {
    renderWith(<Generating view={reviewing(BOB, urls)} />);
    expect(screen.queryByRole("img")).toBeNull();
    expect(screen.getByText(/Drawing Ann's prompt/)).toBeInTheDocument();
  });
});

describe("the picture settings", () => {
  it("the host chooses a style, the review and how many pictures to choose from", async () => {
    const { api, sent } = fakeApi();
    renderWith(<SettingsForm settings={view().settings} editable />, { api });
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText("AI picture style"), "Watercolor");
    await user.click(screen.getByLabelText(/checks the picture first/));
    await user.selectOptions(screen.getByLabelText("Pictures to choose from"), "4");
    expect(sent.filter((s) => s.event === "room:settings")).toEqual([
      { event: "room:settings", payload: { imageStyle: "watercolor" } },
      { event: "room:settings", payload: { imageReview: true } },
      { event: "room:settings", payload: { imageChoices: 4 } },
    ]);
  });

  it("the others read them", () => {
    renderWith(<SettingsForm settings={view({}, { imageStyle: "clay", imageChoices: 3 }).settings} editable={false} />);
    expect(screen.getByText("Clay")).toBeInTheDocument();
    expect(screen.getByText("Writer checks the picture").nextSibling?.textContent).toBe("On");
  });
});
