import { fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PackImport } from "../components/PackImport";
import { SettingsForm } from "../components/SettingsForm";
import { ANN, BOB, CY, turn, view } from "../test/fixtures";
import { fakeApi, renderWith, stubThemes } from "../test/render";
import { Prompting } from "./Prompting";

beforeEach(() => stubThemes());
afterEach(() => vi.unstubAllGlobals());

const CHOICES = ["a red apple", "a school bus", "a blue whale"];

describe("prompt packs", () => {
  it("pack-only: the writer asks for three choices and picks one; no typing box", async () => {
    const { api, sent } = fakeApi({ "prompt:suggest": { ok: true, suggestions: CHOICES }, "prompt:submit": { ok: true, prompt: CHOICES[1] } });
    const v = view({ phase: "prompting", turn: turn({ giverId: ANN, guesserIds: [BOB, CY] }) }, { packOnly: true });
    renderWith(<Prompting view={v} />, { api });
    await userEvent.setup().click(await screen.findByRole("button", { name: CHOICES[1] }));
    expect(screen.queryByRole("textbox")).toBeNull();
    expect(sent).toEqual([
      { event: "prompt:suggest", payload: {} },
      { event: "prompt:submit", payload: { text: CHOICES[1] } },
    ]);
  });

  it("pack-only: choices already in the view are not asked for again", async () => {
    const { api, sent } = fakeApi();
    const v = view({ phase: "prompting", turn: turn({ giverId: ANN, guesserIds: [BOB, CY], suggestions: CHOICES }) }, { packOnly: true });
    renderWith(<Prompting view={v} />, { api });
    expect(screen.getAllByRole("button", { name: /a / })).toHaveLength(3);
    expect(sent).toEqual([]);
  });

  it("the host pastes a list; bad lines come back one per line", async () => {
    const message = "line 2: Use at most 5 words (you used 7).; line 4: the same prompt as line 1";
    const { api, sent } = fakeApi({ "pack:import": { ok: false, error: { code: "pack_invalid", message } } });
    renderWith(<PackImport />, { api });
    const user = userEvent.setup();
    await user.click(screen.getByText("Your own prompts"));
    await user.type(screen.getByLabelText(/Paste a list/), "a red apple{Enter}far too many words in this one line");
    await user.type(screen.getByLabelText("Pack name"), "Class 3B");
    await user.click(screen.getByRole("button", { name: "Use these prompts" }));
    expect(sent).toEqual([{ event: "pack:import", payload: { text: "a red apple\nfar too many words in this one line", name: "Class 3B" } }]);
    const items = (await screen.findByRole("alert")).querySelectorAll("li");
    expect([...items].map((li) => li.textContent)).toEqual(["line 2: Use at most 5 words (you used 7).", "line 4: the same prompt as line 1"]);
  });

  it("a pack too big for one socket message is stopped before it is sent", async () => {
    const { api, sent } = fakeApi();
    renderWith(<PackImport />, { api });
    const user = userEvent.setup();
    await user.click(screen.getByText("Your own prompts"));
    fireEvent.change(screen.getByLabelText(/Paste a list/), { target: { value: "日本の猫です\n".repeat(1000) } });
    await user.click(screen.getByRole("button", { name: "Use these prompts" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/too big to send \(19 KB, at most 15 KB\)/);
    expect(sent).toEqual([]);
  });

  it("the settings offer the server's packs and the room's own, and pack-only", async () => {
    const packs = [
      { id: "mixed", name: "Mixed", language: "en", size: 340 },
      { id: "classroom", name: "Classroom", language: "en", size: 30 },
    ];
    const { api, sent } = fakeApi({ "packs:list": { ok: true, packs } });
    const custom = { id: "custom", name: "Class 3B", language: "en", size: 4 };
    renderWith(<SettingsForm settings={view({}, { theme: "custom" }).settings} editable customPack={custom} />, { api });
    await screen.findByRole("option", { name: "Classroom" });
    const select = screen.getByLabelText("Prompt pack") as HTMLSelectElement;
    expect(select.value).toBe("custom");
    expect([...select.options].map((o) => o.text)).toEqual(["Class 3B (room's own)", "Mixed", "Classroom"]);
    await userEvent.setup().click(screen.getByLabelText(/Pack only/));
    expect(sent).toContainEqual({ event: "room:settings", payload: { packOnly: true } });
  });
});

describe("pack-only, for the others", () => {
  it("says the writer is picking from the pack", () => {
    const v = view({ phase: "prompting", turn: turn({ giverId: BOB, guesserIds: [ANN, CY] }) }, { packOnly: true });
    renderWith(<Prompting view={v} />);
    expect(screen.getByText(/is picking a prompt from the pack/)).toBeInTheDocument();
  });
});
