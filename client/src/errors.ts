// Friendly words for every error code in docs/protocol.md.
import type { ProtocolError } from "./protocol";

const MESSAGES: Record<string, string> = {
  invalid_payload: "Something in that request was not right. Please try again.",
  unknown_event: "The server did not understand that. Try reloading the page.",
  invalid_event: "The server did not understand that. Try reloading the page.",
  not_in_room: "You are not in a room any more. Join again to carry on.",
  bad_code: "Room codes are 6 letters and digits, like K7QX2M.",
  room_not_found: "There is no room with that code. Check the code, or create a new room.",
  room_full: "That room is full.",
  room_closed: "That room has closed. Create a new one to keep playing.",
  name_invalid: "Names need 1 to 20 characters.",
  name_taken: "Someone in that room already has that name. Pick another one.",
  token_invalid: "Your seat in that room is no longer held. Join again.",
  kicked: "You were removed from that room.",
  not_host: "Only the host can do that.",
  wrong_phase: "That is not possible right now.",
  not_your_turn: "It is not your turn to write a prompt.",
  not_a_player: "Spectators (and players who join mid-game, until the next round) cannot do that.",
  not_allowed: "That is not allowed.",
  not_enough_players: "You need at least 2 connected players to start.",
  invalid_settings: "That setting is out of range.",
  prompt_invalid: "That prompt does not fit the rules.",
  prompt_blocked: "That prompt is not allowed here. Try another one.",
  pack_invalid: "That pack cannot be used: check the lines listed.",
  pack_only: "In this room the prompt is picked from the pack: choose one of the three.",
  not_reviewing: "The picture is still being drawn.",
  invalid_choice: "Choose one of the pictures shown.",
  already_regenerated: "You can ask for a new picture only once a turn.",
  guess_invalid: "Guesses need 1 to 80 characters.",
  guess_limit: "You have used all 10 guesses for this turn.",
  already_solved: "You already solved this one!",
  chat_invalid: "Messages need 1 to 200 characters.",
  chat_blocked: "That message is not allowed here.",
  guess_in_chat: "That looks like a guess, so it was not sent: type guesses in the guess box.",
  already_voted: "You already voted to remove this player.",
  not_voted: "You have not voted to remove this player.",
  unknown_member: "That player is no longer in the room.",
  rate_limited: "Slow down a little.",
  server_busy: "The server is very busy right now. Please try again in a minute.",
  server_restarting: "The server is restarting. Please try again in a moment.",
  internal: "Something went wrong on our side. Please try again.",
  timeout: "The server did not answer in time. Check your connection.",
  offline: "You are offline. We will reconnect as soon as we can.",
};

/** Codes whose server message adds useful detail (which setting, how many words). */
const USE_SERVER_DETAIL = new Set(["invalid_settings", "prompt_invalid", "name_invalid", "pack_invalid"]);

export function friendlyError(error: ProtocolError | null | undefined): string {
  if (!error) return MESSAGES.internal;
  if (error.code === "rate_limited") {
    const wait = error.retryAfter;
    if (typeof wait === "number" && wait > 0) {
      const seconds = Math.max(1, Math.ceil(wait));
      return `Slow down a little: try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
    }
    return MESSAGES.rate_limited;
  }
  if (USE_SERVER_DETAIL.has(error.code) && error.message) return error.message;
  return MESSAGES[error.code] ?? (error.message || MESSAGES.internal);
}

export function knownErrorCodes(): string[] {
  return Object.keys(MESSAGES);
}

/** Errors after which a stored seat token is useless. */
export function seatIsGone(code: string): boolean {
  return ["token_invalid", "kicked", "room_not_found", "room_closed", "bad_code"].includes(code);
}

/** Why a room closed, in words (room:closed reasons). */
export function closedReason(reason: string): string {
  switch (reason) {
    case "finished":
      return "The room closed after the game ended. Thanks for playing!";
    case "abandoned":
      return "The room closed because everyone left.";
    case "empty":
      return "The room closed because it was empty.";
    case "lost":
      return "The server lost this room and could not bring it back. Sorry! Start a new one.";
    default:
      return "The room has closed.";
  }
}
