// What to announce (ARIA live region) and play (sounds) when a new view replaces the old one.
import type { SkippedTurn, View } from "../protocol";
import type { SoundName } from "./sound";

export interface Change {
  say: string[];
  sounds: SoundName[];
}

function nameOf(view: View, id: string | undefined | null): string {
  return view.members.find((m) => m.id === id)?.name ?? "Someone";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function describeChange(prev: View | null, next: View): Change {
  const say: string[] = [];
  const sounds: SoundName[] = [];
  const you = next.you?.id;
  if (!prev || prev.code !== next.code) return { say, sounds };

  const turn = next.turn;
  const prevTurn = prev.turn;
  const newTurn = !!turn && (!prevTurn || prevTurn.number !== turn.number || prev.game !== next.game);
  const phaseChanged = prev.phase !== next.phase || newTurn;
  const isGiver = !!turn && turn.giverId === you;

  // Members coming and going in the lobby.
  if (next.phase === "lobby" && prev.phase === "lobby") {
    const before = new Set(prev.members.map((m) => m.id));
    const after = new Set(next.members.map((m) => m.id));
    for (const m of next.members) {
      if (!before.has(m.id)) {
        say.push(`${m.name} joined.`);
        sounds.push("join");
      }
    }
    for (const m of prev.members) if (!after.has(m.id)) say.push(`${m.name} left.`);
  }

  if (phaseChanged) {
    switch (next.phase) {
      case "lobby":
        if (prev.phase === "finished") say.push("A new game is open in the lobby.");
        break;
      case "prompting":
        if (!turn) break;
        if (newTurn || prev.phase !== "generating") {
          const where = `Round ${turn.round} of ${next.rounds}, turn ${turn.number}.`;
          say.push(isGiver ? `${where} Your turn: write a prompt.` : `${where} ${nameOf(next, turn.giverId)} is writing a prompt.`);
          if (isGiver) sounds.push("turn");
        } else if (turn.failureReason) {
          say.push(isGiver ? `The image could not be drawn: ${turn.failureReason} Send a prompt again.` : turn.failureReason);
          if (isGiver) sounds.push("error");
        }
        break;
      case "generating":
        if (isGiver && turn?.autoPrompt) say.push(autoPromptText(turn.prompt));
        say.push("The image is being drawn.");
        break;
      case "guessing":
        say.push(isGiver ? "The image is ready. The others are guessing." : "The image is ready: guess the prompt!");
        sounds.push("image");
        break;
      case "reveal": {
        if (!turn) break;
        const parts = [`The prompt was “${turn.prompt ?? ""}”.`];
        const mine = turn.results?.find((r) => r.playerId === you);
        if (isGiver) parts.push(`You earned ${plural(turn.giverPoints ?? 0, "point")} as the prompt giver.`);
        else if (mine) parts.push(`You scored ${plural(mine.points, "point")}.`);
        const solved = turn.solvedIds.length;
        parts.push(`${plural(solved, "player")} solved it.`);
        say.push(parts.join(" "));
        sounds.push("reveal");
        break;
      }
      case "finished": {
        const winners = (next.standings ?? []).filter((s) => s.place === 1);
        const mine = next.standings?.find((s) => s.playerId === you);
        const parts = ["Game over."];
        if (winners.length === 1) parts.push(`${winners[0].name} wins with ${plural(winners[0].score, "point")}.`);
        else if (winners.length > 1) parts.push(`${winners.map((w) => w.name).join(" and ")} share the win with ${plural(winners[0].score, "point")}.`);
        if (mine && !winners.some((w) => w.playerId === mine.playerId)) parts.push(`You placed ${ordinal(mine.place)}.`);
        say.push(parts.join(" "));
        sounds.push("finished");
        break;
      }
    }
  }

  // Solves during the guessing phase (your own solve is announced from the guess reply).
  if (turn && prevTurn && turn.number === prevTurn.number && next.phase === "guessing") {
    const before = new Set(prevTurn.solvedIds);
    for (const id of turn.solvedIds) {
      if (!before.has(id) && id !== you) {
        say.push(`${nameOf(next, id)} solved it!`);
        sounds.push("otherSolved");
      }
    }
  }

  const skipped = next.skippedTurn;
  if (skipped && (!prev.skippedTurn || prev.skippedTurn.turn !== skipped.turn)) say.push(skippedText(skipped));

  if (next.paused && !prev.paused && next.phase === "prompting") {
    say.push("The prompt giver lost their connection; the timer is paused.");
  }
  return { say, sounds };
}

export function ordinal(n: number): string {
  const s = ["th", "st", "nd", "rd"];
  const v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

/** What the prompt giver is told as soon as the timer chose their prompt. */
export function autoPromptText(prompt: string | null): string {
  return `Time ran out — we picked “${prompt ?? ""}” for you; you earn no points this turn.`;
}

/** The note for a turn that ended at once (issue 15 item 9). */
export function skippedText(skipped: SkippedTurn): string {
  const why = skipped.reason === "giver_left" ? "they left" : "no picture could be drawn";
  return `${skipped.giverName}’s turn was skipped: ${why}.`;
}
