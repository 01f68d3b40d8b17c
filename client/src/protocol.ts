// Types for the real-time protocol, version 1 (docs/protocol.md). Keep in step with the doc.

export const PROTOCOL_VERSION = 1;

export type Phase = "lobby" | "prompting" | "generating" | "guessing" | "reveal" | "finished";
export type Role = "player" | "spectator";
/** What `you.role` says: a member's role, or "screen" for a big screen (room:screen). */
export type YourRole = Role | "screen";
export type Warmth = "cold" | "warm" | "hot" | "got it";

export interface Settings {
  rounds: number;
  promptSeconds: number;
  guessSeconds: number;
  maxWords: number;
  maxPlayers: number;
  hints: boolean;
  /** The room's prompt pack: a built-in theme, an operator's pack, or "custom" (docs/packs.md). */
  theme: string;
  /** The writer picks one of three prompts from the pack instead of typing. */
  packOnly: boolean;
  /** Added to a paid image provider's request; the built-in pictogram generator ignores it. */
  imageStyle: ImageStyle;
  /** The writer sees the picture first and may ask for one new one (docs/protocol.md, "Picture review"). */
  imageReview: boolean;
  /** More than 1: the writer picks one of this many pictures (fewer when the AI budget is short). */
  imageChoices: number;
}

export const IMAGE_STYLES = ["none", "cartoon", "watercolor", "pixel", "photo", "clay"] as const;
export type ImageStyle = (typeof IMAGE_STYLES)[number];

/** What the writer alone sees while reviewing the picture(s), the phase still "generating". */
export interface Review {
  imageUrls: string[];
  canRegenerate: boolean;
}

/** A prompt pack as members see it: never its prompts. */
export interface PackSummary {
  id: string;
  name: string;
  language: string;
  size: number;
}

/** The id of the room's own pack, set by the host with `pack:import`. */
export const CUSTOM_PACK = "custom";
/** The most characters `pack:import` takes (docs/packs.md). */
export const MAX_PACK_TEXT = 12_000;

export const DEFAULT_SETTINGS: Settings = {
  rounds: 3,
  promptSeconds: 45,
  guessSeconds: 60,
  maxWords: 5,
  maxPlayers: 8,
  hints: true,
  theme: "mixed",
  packOnly: false,
  imageStyle: "none",
  imageReview: false,
  imageChoices: 1,
};

/** Inclusive bounds the server enforces for each numeric setting. */
export const SETTING_BOUNDS = {
  rounds: [1, 10],
  promptSeconds: [15, 120],
  guessSeconds: [20, 180],
  maxWords: [1, 8],
  maxPlayers: [2, 12],
  imageChoices: [1, 4],
} as const;

export interface You {
  id: string;
  name: string;
  role: YourRole;
  isHost: boolean;
  score: number;
  joinsNextRound: boolean;
}

export interface Member {
  id: string;
  name: string;
  role: Role;
  score: number;
  connected: boolean;
  ready: boolean;
  isHost: boolean;
  joinsNextRound: boolean;
}

export interface GuessFeedback {
  text: string;
  similarity: number;
  warmth: Warmth;
}

export interface Yours {
  guesses: GuessFeedback[];
  best: number;
  solved: boolean;
  guessesLeft: number;
}

export interface Result {
  playerId: string;
  name: string;
  guess: string | null;
  similarity: number;
  points: number;
  /** Why the best guess scored so ("hog ≈ pig, shades ≈ sunglasses"); from the reveal on, null without a guess. */
  reason?: string | null;
}

export interface Turn {
  number: number;
  round: number;
  giverId: string;
  prompt: string | null;
  autoPrompt: boolean | null;
  suggestions?: string[];
  failures: number;
  failureReason: string | null;
  builtin: boolean;
  imageUrl: string | null;
  imageProvider: string | null;
  review?: Review;
  guessStartedAt: number | null;
  hint?: string[];
  solvedIds: string[];
  guesserIds: string[];
  skipped: boolean;
  yours?: Yours;
  results?: Result[];
  giverPoints?: number;
}

export interface AlbumEntry {
  turn: number;
  round: number;
  giverId: string;
  giverName: string;
  prompt: string;
  imageUrl: string | null;
  bestGuesses: Result[];
  giverPoints: number;
}

export interface Standing {
  playerId: string;
  name: string;
  score: number;
  place: number;
  left?: boolean; // left the room during or after the game: shown greyed out
}

export interface SkippedTurn {
  turn: number;
  giverId: string;
  giverName: string;
  reason: "giver_left" | "no_image";
}

export interface View {
  protocol: number;
  code: string;
  revision: number;
  serverTime: number;
  phase: Phase;
  game: number;
  hostId: string;
  you: You | null;
  settings: Settings;
  customPack?: PackSummary | null; // the host's own pack (pack:import)
  members: Member[];
  round: number;
  rounds: number;
  deadline: number | null;
  paused: boolean;
  pausedRemaining: number | null;
  turn: Turn | null;
  kickVotes: Record<string, number>; // never includes a count against you
  yourKickVotes?: string[]; // the players you voted to remove
  album: AlbumEntry[];
  /** Finished: the album picture the big screens show (the host steps it with album:step). */
  albumIndex?: number;
  /** Big screens watching (room:screen); they are never in `members`. */
  screens?: number;
  standings: Standing[] | null;
  skippedTurn?: SkippedTurn | null; // during the turn after a skipped one
  canStart: boolean;
  closed: boolean;
}

/** A system line's moment (docs/protocol.md, "Chat"). */
export type ChatEvent = "joined" | "left" | "host" | "solved" | "close";

export interface ChatLine {
  id: number;
  playerId: string;
  name: string;
  text: string;
  at: number;
  /** "system": written by the server (no player text); older servers leave it out. */
  kind?: "player" | "system";
  event?: ChatEvent | null;
  /** "solved": the giver and the solvers, while others still guess. */
  channel?: "all" | "solved";
}

export interface ProtocolError {
  code: string;
  message: string;
  retryAfter?: number;
}

export type Ack<T = object> = ({ ok: true } & T) | { ok: false; error: ProtocolError };

export interface Joined {
  code: string;
  playerId: string;
  token?: string;
  view: View;
  chat: ChatLine[];
}

export interface GuessReply {
  similarity: number;
  warmth: Warmth;
  solved: boolean;
  best: number;
  guessesLeft: number;
}

/** Payloads and replies, event by event. */
export interface Events {
  "room:create": [{ name: string; spectator?: boolean; settings?: Partial<Settings> }, Joined];
  "room:join": [{ code: string; name: string; spectator?: boolean; device?: string }, Joined];
  "room:resume": [{ code: string; token: string }, Joined];
  "room:screen": [{ code: string }, Joined];
  "room:leave": [Record<string, never>, object];
  "room:sync": [Record<string, never>, { view: View; chat: ChatLine[] }];
  "room:settings": [Partial<Settings>, object];
  "pack:import": [{ text: string; name?: string }, PackSummary];
  "packs:list": [Record<string, never>, { packs: PackSummary[] }];
  "player:ready": [{ ready: boolean }, object];
  "game:start": [Record<string, never>, object];
  "game:new": [Record<string, never>, object];
  "prompt:suggest": [Record<string, never>, { suggestions: string[] }];
  "prompt:submit": [{ text: string }, { prompt: string }];
  "image:pick": [{ index: number }, object];
  "image:regenerate": [{ reject?: boolean }, object];
  "guess:submit": [{ text: string }, GuessReply];
  "chat:send": [{ text: string }, { id: number }];
  "album:step": [{ index: number }, object];
  "player:kick": [{ playerId: string }, object];
  "player:votekick": [{ playerId: string }, { votes: number; needed: number; kicked?: boolean }];
  "player:unvotekick": [{ playerId: string }, { votes: number; needed: number }];
}

export type EventName = keyof Events;

/** Room codes: 6 characters from this alphabet (no 0/O, 1/I/L). */
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function normalizeCode(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isValidCode(raw: string): boolean {
  const code = normalizeCode(raw);
  return code.length === 6 && [...code].every((ch) => CODE_ALPHABET.includes(ch));
}

export const MAX_NAME = 20;
export const MAX_PROMPT = 80;
export const MAX_GUESS = 80;
export const MAX_CHAT = 200;
export const MAX_GUESSES = 10;
