import { describe, expect, it } from "vitest";
import { view } from "../test/fixtures";
import type { ChatLine } from "../protocol";
import { initialState, mergeChat, reducer, type State } from "./state";

const line = (id: number, text = "hi"): ChatLine => ({ id, playerId: "p", name: "Ann", text, at: 1 });

function seated(revision = 5): State {
  return reducer(initialState, { type: "entered", joined: { code: "K7QX2M", playerId: "p_ann", token: "t", view: view({ revision }), chat: [line(1)] } });
}

describe("reducer", () => {
  it("seats the player with the view and chat from the reply", () => {
    const s = seated();
    expect(s.stage).toBe("room");
    expect(s.code).toBe("K7QX2M");
    expect(s.view?.revision).toBe(5);
    expect(s.chat.map((l) => l.id)).toEqual([1]);
  });

  it("ignores a view older than the one it has", () => {
    const s = seated(5);
    expect(reducer(s, { type: "view", view: view({ revision: 4, phase: "prompting" }) })).toBe(s);
    const newer = reducer(s, { type: "view", view: view({ revision: 6, phase: "prompting" }) });
    expect(newer.view?.phase).toBe("prompting");
    const same = reducer(newer, { type: "view", view: view({ revision: 6, phase: "generating" }) });
    expect(same.view?.phase).toBe("generating");
  });

  it("ignores views of another room and views after leaving", () => {
    const s = seated();
    expect(reducer(s, { type: "view", view: view({ code: "ZZZZZZ", revision: 99 }) })).toBe(s);
    const left = reducer(s, { type: "left", notice: "bye" });
    expect(left.stage).toBe("home");
    expect(left.view).toBeNull();
    expect(left.notice?.text).toBe("bye");
    expect(reducer(left, { type: "view", view: view({ revision: 100 }) })).toBe(left);
  });

  it("keeps the newer view when a resume reply is older than a pushed view", () => {
    let s = seated(5);
    s = reducer(s, { type: "view", view: view({ revision: 9, phase: "guessing" }) });
    s = reducer(s, { type: "entered", joined: { code: "K7QX2M", playerId: "p_ann", view: view({ revision: 8 }), chat: [line(1), line(2)] } });
    expect(s.view?.revision).toBe(9);
    expect(s.chat.map((l) => l.id)).toEqual([1, 2]);
  });

  it("adds chat lines once, in order", () => {
    let s = seated();
    s = reducer(s, { type: "chat", line: line(3) });
    s = reducer(s, { type: "chat", line: line(2) });
    s = reducer(s, { type: "chat", line: line(3) });
    expect(s.chat.map((l) => l.id)).toEqual([1, 2, 3]);
  });

  it("keeps at most 100 chat lines", () => {
    const many = Array.from({ length: 150 }, (_, i) => line(i + 1));
    expect(mergeChat([], many)).toHaveLength(100);
    expect(mergeChat([], many)[0].id).toBe(51);
  });

  it("tracks the connection and failures", () => {
    let s = seated();
    s = reducer(s, { type: "connection", connection: "reconnecting" });
    expect(s.connection).toBe("reconnecting");
    s = reducer(s, { type: "imageFailed", turn: 2, reason: "The provider refused." });
    expect(s.imageFailure).toEqual({ turn: 2, reason: "The provider refused." });
    s = reducer(s, { type: "replaced", text: "Open elsewhere" });
    expect(s.replaced).toBe("Open elsewhere");
  });

  it("goes back home with a message when entering fails", () => {
    let s = reducer(initialState, { type: "entering" });
    expect(s.stage).toBe("entering");
    s = reducer(s, { type: "enterFailed", text: "That room is full." });
    expect(s.stage).toBe("home");
    expect(s.notice).toMatchObject({ kind: "error", text: "That room is full." });
  });
});
