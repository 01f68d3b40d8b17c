import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { view } from "../test/fixtures";
import type { Action } from "./state";

// A stand-in for socket.io-client's socket: the test plays the server.
class FakeSocket {
  connected = false;
  handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  sent: { event: string; payload: unknown }[] = [];
  replies: Record<string, unknown> = {};

  on(event: string, fn: (...args: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  timeout() {
    return {
      emitWithAck: async (event: string, payload: unknown) => {
        this.sent.push({ event, payload });
        const reply = this.replies[event];
        if (reply === undefined) throw new Error("timeout");
        return reply;
      },
    };
  }
  connect() {
    this.connected = true;
    this.fire("connect");
  }
}

let socket: FakeSocket;
vi.mock("socket.io-client", () => ({ io: () => socket }));

const { GameClient } = await import("./client");

function joined(token?: string) {
  return { ok: true, code: "K7QX2M", playerId: "p_ann", view: view({ revision: 3 }), chat: [], ...(token ? { token } : {}) };
}

describe("GameClient", () => {
  let actions: Action[];
  beforeEach(() => {
    socket = new FakeSocket();
    actions = [];
    localStorage.clear();
    window.history.replaceState(null, "", "/");
  });
  afterEach(() => vi.useRealTimers());

  it("creates a room, stores the token and moves to the room's address", async () => {
    const client = new GameClient((a) => actions.push(a));
    socket.replies["room:create"] = joined("secret-token");
    expect(await client.create("Ann", false)).toBeNull();
    expect(socket.sent[0]).toEqual({ event: "room:create", payload: { name: "Ann" } });
    expect(actions.map((a) => a.type)).toEqual(["entering", "entered"]);
    expect(JSON.parse(localStorage.getItem("imprompt.seat.K7QX2M")!)).toMatchObject({ token: "secret-token", playerId: "p_ann" });
    expect(window.location.pathname).toBe("/r/K7QX2M");
  });

  it("resumes the seat by itself after the connection comes back", async () => {
    const client = new GameClient((a) => actions.push(a));
    socket.replies["room:join"] = joined("tok-123456");
    await client.join(" k7qx2m ", "Ann", true);
    const device = localStorage.getItem("imprompt.device");
    expect(device).toMatch(/^[0-9a-f]{36}$/);
    expect(socket.sent[0].payload).toEqual({ code: "K7QX2M", name: "Ann", spectator: true, device });

    socket.connected = false;
    socket.fire("disconnect", "transport close");
    expect(actions.at(-1)).toEqual({ type: "connection", connection: "reconnecting" });
    socket.replies["room:resume"] = joined();
    socket.connect();
    await vi.waitFor(() => expect(socket.sent.at(-1)).toEqual({ event: "room:resume", payload: { code: "K7QX2M", token: "tok-123456" } }));
    await vi.waitFor(() => expect(actions.at(-1)?.type).toBe("entered"));
    expect(actions).toContainEqual({ type: "connection", connection: "online" });
  });

  it("says the server is restarting until it is back, then resumes the seat", async () => {
    const client = new GameClient((a) => actions.push(a));
    socket.replies["room:join"] = joined("tok-123456");
    await client.join("K7QX2M", "Ann", false);

    socket.fire("server:restarting", { message: "restarting" });
    expect(actions.at(-1)).toEqual({ type: "connection", connection: "restarting" });
    socket.connected = false;
    socket.fire("disconnect", "transport close"); // the server closes websockets with 1012
    socket.fire("connect_error", new Error("refused"));
    expect(actions.at(-1)).toEqual({ type: "connection", connection: "restarting" });
    socket.replies["room:resume"] = joined();
    socket.connect();
    await vi.waitFor(() => expect(actions.at(-1)?.type).toBe("entered"));
    expect(actions).toContainEqual({ type: "connection", connection: "online" });
    socket.connected = false;
    socket.fire("disconnect", "transport close"); // a later drop is an ordinary one again
    expect(actions.at(-1)).toEqual({ type: "connection", connection: "reconnecting" });
  });

  it("after a reload, a seat that is gone sends the player to the join form with a reason", async () => {
    localStorage.setItem("imprompt.seat.K7QX2M", JSON.stringify({ code: "K7QX2M", token: "old-token-1", playerId: "p", savedAt: Date.now() }));
    const client = new GameClient((a) => actions.push(a));
    socket.replies["room:resume"] = { ok: false, error: { code: "token_invalid", message: "gone" } };
    const error = await client.resume("K7QX2M");
    expect(error?.code).toBe("token_invalid");
    expect(actions[0]).toEqual({ type: "entering", resuming: "K7QX2M" });
    expect(actions.at(-1)).toMatchObject({ type: "enterFailed", text: expect.stringMatching(/no longer held/) });
    expect(localStorage.getItem("imprompt.seat.K7QX2M")).toBeNull();
    expect(window.location.pathname).toBe("/r/K7QX2M");
  });

  it("forgets the seat when kicked, and passes views and chat on", async () => {
    const client = new GameClient((a) => actions.push(a));
    socket.replies["room:join"] = joined("tok-123456");
    await client.join("K7QX2M", "Ann", false);
    const v = view({ revision: 9 });
    socket.fire("room:view", v);
    expect(actions.at(-1)).toEqual({ type: "view", view: v });
    socket.fire("chat:message", { id: 1, playerId: "p", name: "Bob", text: "hi", at: 1 });
    expect(actions.at(-1)).toMatchObject({ type: "chat" });
    socket.fire("room:kicked", { message: "The host removed you from the room." });
    expect(actions.at(-1)).toEqual({ type: "left", notice: "The host removed you from the room." });
    expect(localStorage.getItem("imprompt.seat.K7QX2M")).toBeNull();
    expect(window.location.pathname).toBe("/");
  });

  it("stops resuming when another tab takes the seat, until asked", async () => {
    const client = new GameClient((a) => actions.push(a));
    socket.replies["room:join"] = joined("tok-123456");
    await client.join("K7QX2M", "Ann", false);
    socket.fire("room:replaced", { message: "You opened this room somewhere else." });
    expect(actions.at(-1)).toEqual({ type: "replaced", text: "You opened this room somewhere else." });
    const before = socket.sent.length;
    socket.connect();
    await Promise.resolve();
    expect(socket.sent.length).toBe(before);
    socket.replies["room:resume"] = joined();
    await client.takeOver();
    expect(socket.sent.at(-1)?.event).toBe("room:resume");
  });

  it("turns an unanswered call into a friendly error", async () => {
    const client = new GameClient((a) => actions.push(a));
    socket.connected = true;
    const reply = await client.call("chat:send", { text: "hi" });
    expect(reply).toEqual({ ok: false, error: { code: "timeout", message: "" } });
  });

  it("watches as a big screen: nothing stored, the address kept, watched again after a reconnect", async () => {
    window.history.replaceState(null, "", "/r/K7QX2M/tv");
    const client = new GameClient((a) => actions.push(a));
    expect(await client.watchScreen("k7qx2m")).toBeNull(); // not connected yet: "connect" watches
    socket.replies["room:screen"] = { ...joined(), playerId: "s_tv" };
    socket.connect();
    await vi.waitFor(() => expect(actions.at(-1)?.type).toBe("entered"));
    expect(socket.sent).toEqual([{ event: "room:screen", payload: { code: "K7QX2M" } }]);
    expect(localStorage.length).toBe(0);
    expect(window.location.pathname).toBe("/r/K7QX2M/tv");

    socket.connected = false;
    socket.fire("disconnect", "transport close");
    socket.connect();
    await vi.waitFor(() => expect(socket.sent.map((s) => s.event)).toEqual(["room:screen", "room:screen"]));

    socket.fire("room:closed", { reason: "finished" });
    expect(actions.at(-1)?.type).toBe("left");
    expect(window.location.pathname).toBe("/r/K7QX2M/tv"); // the page says why it shows nothing
    socket.connected = false;
    socket.connect();
    expect(socket.sent.length).toBe(2); // a closed room is not watched again
  });
});
