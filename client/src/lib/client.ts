// The connection to the server: one socket.io socket speaking docs/protocol.md.
// It turns server events into reducer actions, stores seat tokens, and resumes the
// seat by itself after a dropped connection or a reload.
import { io, type Socket } from "socket.io-client";
import { closedReason, friendlyError, seatIsGone } from "../errors";
import type { Ack, ChatLine, EventName, Events, Joined, ProtocolError, View } from "../protocol";
import { normalizeCode } from "../protocol";
import { clock } from "./clock";
import type { Action } from "./state";
import { saved } from "./storage";
import { roomPath, setPath } from "./route";

const CALL_TIMEOUT_MS = 10_000;
const RESUME_RETRY_MS = 3_000;

export interface Api {
  call<E extends EventName>(event: E, payload: Events[E][0]): Promise<Ack<Events[E][1]>>;
  create(name: string, spectator: boolean): Promise<ProtocolError | null>;
  join(code: string, name: string, spectator: boolean): Promise<ProtocolError | null>;
  resume(code: string): Promise<ProtocolError | null>;
  takeOver(): Promise<ProtocolError | null>;
  leave(): Promise<void>;
  /** Show a room as a big screen (room:screen): no seat, nothing stored; watches again after a reconnect. */
  watchScreen(code: string): Promise<ProtocolError | null>;
}

function failure(code: string, message = ""): { ok: false; error: ProtocolError } {
  return { ok: false, error: { code, message } };
}

export class GameClient implements Api {
  private socket: Socket;
  private seat: { code: string; token: string } | null = null;
  private replaced = false;
  private resumeTimer: ReturnType<typeof setTimeout> | null = null;
  private resuming = false;
  private restarting = false; // the server said it is restarting: our game is saved
  private screen: string | null = null; // the room this page shows as a big screen

  constructor(private dispatch: (action: Action) => void, url?: string) {
    const options = { path: "/socket.io/", transports: ["websocket"], reconnectionDelay: 500, reconnectionDelayMax: 4000 };
    this.socket = url ? io(url, options) : io(options);
    this.listen();
  }

  private listen(): void {
    const s = this.socket;
    s.on("connect", () => {
      this.restarting = false;
      this.dispatch({ type: "connection", connection: "online" });
      if (this.seat && !this.replaced) void this.resumeSeat("auto");
      if (this.screen) void this.watchScreen(this.screen); // the server dropped the screen with the socket
    });
    s.on("disconnect", (reason: string) => {
      this.dispatch({ type: "connection", connection: this.restarting ? "restarting" : "reconnecting" });
      // The server hung up on purpose (for example a restart): socket.io will not retry by itself.
      if (reason === "io server disconnect") s.connect();
    });
    s.on("connect_error", () => {
      this.dispatch({ type: "connection", connection: this.restarting ? "restarting" : "reconnecting" });
    });
    s.on("server:restarting", () => {
      this.restarting = true;
      this.dispatch({ type: "connection", connection: "restarting" });
    });
    s.on("room:view", (view: View) => {
      clock.sample(view.serverTime);
      this.dispatch({ type: "view", view });
    });
    s.on("chat:message", (line: ChatLine) => this.dispatch({ type: "chat", line }));
    s.on("image:failed", (data: { reason: string; turn: number }) => {
      this.dispatch({ type: "imageFailed", turn: data.turn, reason: data.reason });
    });
    s.on("room:kicked", (data: { message?: string }) => {
      this.dropSeat();
      this.dispatch({ type: "left", notice: data?.message || friendlyError({ code: "kicked", message: "" }) });
    });
    s.on("room:replaced", (data: { message?: string }) => {
      this.replaced = true;
      this.dispatch({ type: "replaced", text: data?.message || "This seat is now open in another tab or device." });
    });
    s.on("room:closed", (data: { reason?: string }) => {
      this.dropSeat();
      this.dispatch({ type: "left", notice: closedReason(data?.reason ?? ""), kind: "info" });
    });
  }

  async call<E extends EventName>(event: E, payload: Events[E][0]): Promise<Ack<Events[E][1]>> {
    try {
      const reply = (await this.socket.timeout(CALL_TIMEOUT_MS).emitWithAck(event, payload)) as Ack<Events[E][1]>;
      if (!reply || typeof reply !== "object") return failure("internal");
      return reply;
    } catch {
      return failure(this.socket.connected ? "timeout" : "offline");
    }
  }

  create(name: string, spectator: boolean): Promise<ProtocolError | null> {
    return this.enter(() => this.call("room:create", spectator ? { name, spectator } : { name }));
  }

  join(code: string, name: string, spectator: boolean): Promise<ProtocolError | null> {
    const payload = { code: normalizeCode(code), name, device: saved.device(), ...(spectator ? { spectator } : {}) };
    return this.enter(() => this.call("room:join", payload));
  }

  /** Sit back down in a room this browser has a token for (after a reload). */
  resume(code: string): Promise<ProtocolError | null> {
    const stored = saved.seat(normalizeCode(code));
    if (!stored) return Promise.resolve({ code: "token_invalid", message: "" });
    this.seat = { code: stored.code, token: stored.token };
    this.replaced = false;
    this.dispatch({ type: "entering", resuming: stored.code });
    return this.resumeSeat("initial");
  }

  /** After room:replaced: take the seat back into this tab. */
  takeOver(): Promise<ProtocolError | null> {
    this.replaced = false;
    return this.resumeSeat("manual");
  }

  async watchScreen(code: string): Promise<ProtocolError | null> {
    this.screen = normalizeCode(code);
    if (!this.socket.connected) return null; // "connect" watches once the socket is up
    const reply = await this.call("room:screen", { code: this.screen });
    if (!reply.ok) {
      if (reply.error.code !== "offline" && reply.error.code !== "timeout") this.screen = null;
      this.dispatch({ type: "enterFailed", text: friendlyError(reply.error) });
      return reply.error;
    }
    clock.sample(reply.view.serverTime);
    this.dispatch({ type: "entered", joined: reply });
    return null;
  }

  async leave(): Promise<void> {
    const code = this.seat?.code;
    this.forget();
    if (code) saved.forgetSeat(code);
    this.dispatch({ type: "left" });
    setPath("/");
    if (this.socket.connected) await this.call("room:leave", {});
  }

  private async enter(send: () => Promise<Ack<Joined>>): Promise<ProtocolError | null> {
    this.dispatch({ type: "entering" });
    const reply = await send();
    if (!reply.ok) {
      this.dispatch({ type: "enterFailed", text: friendlyError(reply.error) });
      return reply.error;
    }
    this.seated(reply);
    return null;
  }

  private seated(joined: Joined): void {
    clock.sample(joined.view.serverTime);
    const token = joined.token ?? this.seat?.token;
    if (token) {
      this.seat = { code: joined.code, token };
      saved.setSeat({ code: joined.code, token, playerId: joined.playerId });
    }
    this.dispatch({ type: "entered", joined });
    setPath(roomPath(joined.code));
  }

  /**
   * Resume the stored seat: "initial" after a reload, "auto" after a reconnect (quiet),
   * "manual" when the player asks. A seat that is gone sends the player home with a reason.
   */
  private async resumeSeat(mode: "initial" | "auto" | "manual"): Promise<ProtocolError | null> {
    if (!this.seat || this.resuming) return null;
    this.resuming = true;
    const { code, token } = this.seat;
    try {
      const reply = await this.call("room:resume", { code, token });
      if (reply.ok) {
        this.seated(reply);
        return null;
      }
      if (seatIsGone(reply.error.code)) {
        this.forget();
        saved.forgetSeat(code);
        const text = friendlyError(reply.error);
        if (mode === "initial") this.dispatch({ type: "enterFailed", text });
        else this.dispatch({ type: "left", notice: text });
        // With the seat gone but the room still there, the join form for it is the way back.
        setPath(reply.error.code === "token_invalid" ? roomPath(code) : "/");
      } else if (mode === "manual") {
        this.dispatch({ type: "notice", text: friendlyError(reply.error) });
      } else {
        this.retryResume(); // offline or a slow answer: keep trying
      }
      return reply.error;
    } finally {
      this.resuming = false;
    }
  }

  private retryResume(): void {
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = null;
      if (this.socket.connected && this.seat && !this.replaced) void this.resumeSeat("auto");
    }, RESUME_RETRY_MS);
  }

  /** The seat is gone for good: forget its token and go back to the home page. */
  private dropSeat(): void {
    if (this.screen) {
      this.screen = null; // a big screen stays on its page, which says why
      return;
    }
    if (this.seat) saved.forgetSeat(this.seat.code);
    this.forget();
    setPath("/");
  }

  private forget(): void {
    this.seat = null;
    this.replaced = false;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = null;
  }
}
