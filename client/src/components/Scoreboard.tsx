import { useRef, useState } from "react";
import { useAnimatedNumber } from "../hooks";
import type { View } from "../protocol";
import { inLastRound } from "../lib/rounds";
import { Avatar } from "./Avatar";
import { Badge } from "./Badges";
import { KickButton } from "./KickButton";

function Score({ value }: { value: number }) {
  const shown = useAnimatedNumber(value);
  return (
    <span className="score">
      <span aria-hidden="true">{shown}</span>
      <span className="visually-hidden">{value} points</span>
    </span>
  );
}

/** Points earned this turn, shown during the reveal. */
function gains(view: View): Map<string, number> {
  const out = new Map<string, number>();
  const turn = view.turn;
  if (view.phase !== "reveal" || !turn) return out;
  for (const r of turn.results ?? []) if (r.points) out.set(r.playerId, r.points);
  if (turn.giverPoints) out.set(turn.giverId, (out.get(turn.giverId) ?? 0) + turn.giverPoints);
  return out;
}

export function Scoreboard({ view }: { view: View }) {
  const [manage, setManage] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const [error, setError] = useState<string | null>(null);
  const you = view.you;
  const players = view.members.filter((m) => m.role === "player" || m.joinsNextRound);
  const spectators = view.members.filter((m) => m.role === "spectator" && !m.joinsNextRound);
  const ranked = [...players].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  const gained = gains(view);
  const turn = view.turn;
  const lastRound = inLastRound(view);
  const canManage = !!you?.isHost || (you?.role === "player" && players.length >= 3);

  return (
    <section
      className="card scoreboard"
      aria-labelledby="scores-title"
      onKeyDown={(e) => {
        // Escape leaves "Manage" mode, back on its toggle.
        if (e.key === "Escape" && manage) {
          e.preventDefault();
          setManage(false);
          toggle.current?.focus();
        }
      }}
    >
      <div className="card-head">
        <h2 id="scores-title" className="card-title">
          Scores
        </h2>
        {canManage && (
          <button ref={toggle} type="button" className="btn-link small" aria-expanded={manage} onClick={() => setManage(!manage)}>
            {manage ? "Done" : "Manage"}
          </button>
        )}
      </div>
      <ol className="score-list">
        {ranked.map((m) => {
          const giving = turn?.giverId === m.id && view.phase !== "lobby" && view.phase !== "finished";
          const solved = !!turn?.solvedIds.includes(m.id) && view.phase === "guessing";
          const gain = gained.get(m.id);
          return (
            <li key={m.id} className={`score-row${m.id === you?.id ? " is-you" : ""}${m.connected ? "" : " is-offline"}`} data-testid={`score-${m.id}`}>
              <Avatar id={m.id} name={m.name} size="sm" />
              <span className="score-name">
                {m.name}
                {m.id === you?.id && <span className="you-tag"> (you)</span>}
                <span className="score-badges">
                  {m.isHost && <Badge tone="host" icon="crown">Host</Badge>}
                  {giving && <Badge tone="giver" icon="pen">{view.phase === "prompting" ? "Writing" : "Writer"}</Badge>}
                  {solved && <Badge tone="ready" icon="check">Solved</Badge>}
                  {m.joinsNextRound && <Badge tone="waiting">{lastRound ? "Next game" : "Next round"}</Badge>}
                  {!m.connected && <Badge tone="offline" icon="offline">Offline</Badge>}
                </span>
              </span>
              {gain ? (
                <span className="gain">
                  <span aria-hidden="true">+{gain}</span>
                  <span className="visually-hidden">plus {gain} this turn</span>
                </span>
              ) : null}
              <Score value={m.score} />
              {manage && m.id !== you?.id && m.role === "player" && (
                <KickButton view={view} member={m} voteLabel="Vote out" onError={setError} />
              )}
            </li>
          );
        })}
      </ol>
      {spectators.length > 0 && (
        <p className="muted small watching">
          Watching: {spectators.map((s) => s.name).join(", ")}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
