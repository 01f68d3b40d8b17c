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
  /** The last finished view (podium and album), kept after the room moves to the lobby. */
  lastFinished: View | null;
  /** This player chose "Play again" or "Back to the lobby": show the lobby, not the last game. */
  backInLobby: boolean;
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
  | { type: "dismissNotice" }
  | { type: "backToLobby" };

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
  lastFinished: null,
  backInLobby: false,
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

/**
 * "Play again" is per player (issue 15 item 12): a finished view is kept, so that when the
 * host opens a new game the others may stay on the podium and album until they choose to
 * go back. A new game under way drops it.
 */
function keepFinished(state: State, view: View): Pick<State, "lastFinished" | "backInLobby"> {
  if (view.phase === "finished") {
    const again = state.lastFinished?.game === view.game && state.view?.phase === "finished";
    return { lastFinished: view, backInLobby: again ? state.backInLobby : false };
  }
  if (view.phase === "lobby") return { lastFinished: state.lastFinished, backInLobby: state.backInLobby };
  return { lastFinished: null, backInLobby: false };
}

/** What the stage shows: the last finished game while the room is in the lobby and this player has not gone back yet. */
export function shownView(state: State): View | null {
  const view = state.view;
  if (view?.phase === "lobby" && state.lastFinished && !state.backInLobby && state.lastFinished.code === view.code) return state.lastFinished;
  return view;
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
        ...keepFinished(sameRoom ? state : { ...state, lastFinished: null, backInLobby: false }, view),
      };
    }
    case "enterFailed":
      return { ...state, stage: state.code ? "room" : "home", resuming: null, notice: notice(action.text) };
    case "view":
      if (state.stage === "home") return state; // a straggler after leaving
      if (state.code && action.view.code !== state.code) return state;
      if (!acceptsView(state.view, action.view)) return state;
      return { ...state, view: action.view, ...keepFinished(state, action.view) };
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
    case "backToLobby":
      return { ...state, backInLobby: true };
  }
}
