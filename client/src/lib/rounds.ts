import type { View } from "../protocol";

/** No round is left in this game after the current one: a mid-game joiner plays in the next game. */
export function inLastRound(view: View): boolean {
  return view.phase === "finished" || (view.rounds > 0 && view.round >= view.rounds);
}
