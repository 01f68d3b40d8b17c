import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { vi } from "vitest";
import { GameContext } from "../context";
import type { Api } from "../lib/client";
import { initialState, type State } from "../lib/state";
import type { Ack } from "../protocol";

/** GET /api/themes answers with `themes` (the settings form asks for them). Undo with vi.unstubAllGlobals. */
export function stubThemes(themes: string[] = ["mixed"]): void {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(JSON.stringify({ themes }), { status: 200 })),
  );
}

/** An Api whose calls answer from `replies` (by event name), recording what was sent. */
export function fakeApi(replies: Record<string, Ack<Record<string, unknown>>> = {}) {
  const sent: { event: string; payload: unknown }[] = [];
  const api: Api = {
    call: vi.fn(async (event: string, payload: unknown) => {
      sent.push({ event, payload });
      return (replies[event] ?? { ok: true }) as never;
    }) as Api["call"],
    create: vi.fn(async () => null),
    join: vi.fn(async () => null),
    resume: vi.fn(async () => null),
    takeOver: vi.fn(async () => null),
    leave: vi.fn(async () => undefined),
    watchScreen: vi.fn(async () => null),
  };
  return { api, sent };
}

export function renderWith(ui: ReactNode, { state = {}, api = fakeApi().api }: { state?: Partial<State>; api?: Api } = {}) {
  const value = { state: { ...initialState, ...state }, api, dispatch: vi.fn() };
  return render(<GameContext.Provider value={value}>{ui}</GameContext.Provider>);
}
