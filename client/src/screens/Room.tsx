import { useEffect } from "react";
import { Chat } from "../components/Chat";
import { Scoreboard } from "../components/Scoreboard";
import { useGame } from "../context";
import { skippedText } from "../lib/changes";
import { inLastRound } from "../lib/rounds";
import type { View } from "../protocol";
import { Finished } from "./Finished";
import { Generating } from "./Generating";
import { Guessing } from "./Guessing";
import { Lobby, TvLink } from "./Lobby";
import { Prompting } from "./Prompting";
import { Reveal } from "./Reveal";

function Stage({ view }: { view: View }) {
  if (view.phase !== "lobby" && view.phase !== "finished" && !view.turn) return null;
  switch (view.phase) {
    case "lobby":
      return <Lobby view={view} />;
    case "prompting":
      return <Prompting view={view} />;
    case "generating":
      return <Generating view={view} />;
    case "guessing":
      return <Guessing view={view} />;
    case "reveal":
      return <Reveal view={view} />;
    case "finished":
      return <Finished view={view} />;
  }
}

export const PHASE_TITLES: Record<View["phase"], string> = {
  lobby: "Lobby",
  prompting: "Writing",
  generating: "Drawing",
  guessing: "Guessing",
  reveal: "Reveal",
  finished: "Game over",
};

export function Room({ view: live }: { view: View }) {
  const { state } = useGame();
  // The room moved to the lobby, this player still looks at the last game (issue 15 item 12).
  const last = state.lastFinished;
  const keepLast = live.phase === "lobby" && !!last && !state.backInLobby && last.code === live.code;
  const view = keepLast && last ? last : live;
  const key = `${view.phase}-${view.game}-${view.turn?.number ?? 0}`;

  // A new phase replaces the stage: unless a field took the focus (the prompt and guess
  // boxes do), put it on the new heading so keyboard and screen reader users follow along.
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) document.getElementById("stage-title")?.focus(); // scrolls it into view on a phone
  }, [key]);

  useEffect(() => {
    document.title = `${PHASE_TITLES[view.phase]} · ${view.code} · imprompt`;
    return () => {
      document.title = "imprompt";
    };
  }, [view.phase, view.code]);

  return (
    <div className={`room room-${view.phase}`} data-phase={view.phase}>
      <div className="stage" key={key}>
        {view.you?.joinsNextRound && (
          <p className="note joins-note">
            {inLastRound(view)
              ? "You joined during the last round: you play in the next game. Enjoy the show until then!"
              : "You joined mid-game: you play from the next round. Enjoy the show until then!"}
          </p>
        )}
        {view.skippedTurn && (
          <p className="note skipped-note" data-testid="skipped-turn">
            {skippedText(view.skippedTurn)}
          </p>
        )}
        {keepLast ? <Finished view={view} inLobby /> : <Stage view={view} />}
      </div>
      <aside className="side" aria-label="Scores and chat">
        {view.phase !== "lobby" && <TvLink small />}
        {view.phase !== "lobby" && <Scoreboard view={view} />}
        <Chat />
      </aside>
    </div>
  );
}
