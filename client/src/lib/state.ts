// The client's state and the one function that changes it. Pure: easy to test.
import type { ChatLine, Joined, View } from "../protocol";

export type Connection = "connecting" | "online" | "reconnecting" | "restarting";

export interface Notice {
  id: number;
  kind: "error" | "info";
  text: string;
}

export interface State {
  /** home: no room; entering: a create/join/resume is in flight; room: seated. */
  stage: "home" | "entering" | "room";
  connection: Connection;
  code: string | null;
  playerId: string | null;
  view: View | null;
  chat: ChatLine[];
  /** A message for the page (home screen or room), e.g. why we left a room. */
  notice: Notice | null;
  /** Set when another tab took this seat over: we stop resuming until asked. */
  replaced: string | null;
  /** The room a stored seat is being resumed in, while that is under way. */
  resuming: string | null;
  /** The newest image failure the prompt giver was told about (image:failed). */
  imageFailure: { turn: number; reason: string } | null;
}

export type Action =
  | { type: "entering"; resuming?: string }
  | { type: "entered"; joined: Joined }
  | { type: "enterFailed"; text: string }
  | { type: "view"; view: View }
  | { type: "chatHistory"; chat: ChatLine[] }
  | { type: "chat"; line: ChatLine }
  | { type: "connection"; connection: Connection }
  | { type: "left"; notice?: string; kind?: Notice["kind"] }
  | { type: "replaced"; text: string }
  | { type: "imageFailed"; turn: number; reason: string }
  | { type: "notice"; text: string; kind?: Notice["kind"] }
  | { type: "dismissNotice" };

export const CHAT_KEEP = 100;

export const initialState: State = {
  stage: "home",
  connection: "connecting",
  code: null,
  playerId: null,
  view: null,
  chat: [],
  notice: null,
  replaced: null,
  resuming: null,
  imageFailure: null,
};

let noticeId = 1;
function notice(text: string, kind: Notice["kind"] = "error"): Notice {
  return { id: noticeId++, kind, text };
}

/** Whether a view should replace the current one (same room, not older). */
export function acceptsView(current: View | null, next: View): boolean {
  if (!current || current.code !== next.code) return true;
  return next.revision >= current.revision;
}

export function mergeChat(lines: ChatLine[], more: ChatLine[]): ChatLine[] {
  const seen = new Set(lines.map((l) => l.id));
  const merged = [...lines];
  for (const line of more) {
    if (!seen.has(line.id)) {
      merged.push(line);
      seen.add(line.id);
    }
  }
  merged.sort((a, b) => a.id - b.id);
  return merged.slice(-CHAT_KEEP);
}

export function reducer(state: State, action: Action): State {
  switch (action.type) {
    case "entering":
      return { ...state, stage: "entering", notice: null, resuming: action.resuming ?? null };
    case "entered": {
      const { joined } = action;
      const sameRoom = state.code === joined.code;
      const view = sameRoom && state.view && !acceptsView(state.view, joined.view) ? state.view : joined.view;
      return {
        ...state,
        stage: "room",
        code: joined.code,
        playerId: joined.playerId,
        view,
        chat: sameRoom ? mergeChat(state.chat, joined.chat) : mergeChat([], joined.chat),
        notice: null,
        replaced: null,
        resuming: null,
        imageFailure: sameRoom ? state.imageFailure : null,
      };
    }
    case "enterFailed":
      return { ...state, stage: state.code ? "room" : "home", resuming: null, notice: notice(action.text) };
    case "view":
      if (state.stage === "home") return state; // a straggler after leaving
      if (state.code && action.view.code !== state.code) return state;
      if (!acceptsView(state.view, action.view)) return state;
      return { ...state, view: action.view };
    case "chatHistory":
      return { ...state, chat: mergeChat(state.chat, action.chat) };
    case "chat":
      if (state.stage !== "room") return state;
      return { ...state, chat: mergeChat(state.chat, [action.line]) };
    case "connection":
      return state.connection === action.connection ? state : { ...state, connection: action.connection };
    case "left":
      return {
        ...initialState,
        connection: state.connection,
        notice: action.notice ? notice(action.notice, action.kind ?? "error") : null,
      };
    case "replaced":
      return { ...state, replaced: action.text };
    case "imageFailed":
      return { ...state, imageFailure: { turn: action.turn, reason: action.reason } };
    case "notice":
      return { ...state, notice: notice(action.text, action.kind ?? "error") };
    case "dismissNotice":
      return { ...state, notice: null };
  }
}
