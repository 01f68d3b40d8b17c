import { useState } from "react";
import { Avatar } from "../components/Avatar";
import { Icon } from "../components/Icon";
import { SimilarityBar } from "../components/Warmth";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import { ordinal } from "../lib/changes";
import type { AlbumEntry, Standing, View } from "../protocol";

/** "Ann wins!", or "Ann and Bob share the win!" on a tie. */
export function winnerTitle(standings: Standing[]): string {
  const winners = standings.filter((s) => s.place === 1).map((s) => s.name);
  if (!winners.length) return "Game over";
  if (winners.length === 1) return `${winners[0]} wins!`;
  return `${winners.slice(0, -1).join(", ")} and ${winners[winners.length - 1]} share the win!`;
}

export function Podium({ standings }: { standings: Standing[] }) {
  const top = standings.filter((s) => s.place <= 3).slice(0, 3);
  // 2nd, 1st, 3rd from left to right, like a real podium.
  const order = [top[1], top[0], top[2]].filter((s): s is Standing => !!s);
  return (
    <ol className="podium" aria-label="Podium">
      {order.map((s) => (
        <li key={s.playerId} className={`podium-step place-${Math.min(s.place, 3)}`}>
          <Avatar id={s.playerId} name={s.name} size="lg" />
          <span className="podium-name">{s.name}</span>
          <span className="podium-score">{s.score} pts</span>
          <span className="podium-block" aria-hidden="true">
            {s.place}
          </span>
          <span className="visually-hidden">{ordinal(s.place)} place</span>
        </li>
      ))}
    </ol>
  );
}

function extension(url: string): string {
  const m = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url);
  return m ? m[1] : "png";
}

function AlbumCard({ entry, code }: { entry: AlbumEntry; code: string }) {
  const best = [...entry.bestGuesses].sort((a, b) => b.similarity - a.similarity)[0];
  return (
    <li className="album-card">
      {entry.imageUrl ? (
        <img src={entry.imageUrl} alt={entry.prompt} loading="lazy" className="album-img" />
      ) : (
        <div className="album-img album-missing">No image</div>
      )}
      <div className="album-body">
        <p className="eyebrow">
          Round {entry.round} · {entry.giverName}
        </p>
        <p className="album-prompt">“{entry.prompt}”</p>
        {best && best.guess ? (
          <p className="small">
            Best guess: “{best.guess}” by {best.name} <SimilarityBar value={best.similarity} />
          </p>
        ) : (
          <p className="small muted">No guesses</p>
        )}
        {entry.imageUrl && (
          <a className="btn btn-ghost btn-small" href={entry.imageUrl} download={`imprompt-${code}-turn-${entry.turn}.${extension(entry.imageUrl)}`}>
            <Icon name="download" size={16} /> Download image<span className="visually-hidden">: {entry.prompt}</span>
          </a>
        )}
      </div>
    </li>
  );
}

export function Finished({ view }: { view: View }) {
  const { api } = useGame();
  const [error, setError] = useState<string | null>(null);
  const standings = view.standings ?? [];
  const host = view.members.find((m) => m.isHost);

  async function again() {
    setError(null);
    const reply = await api.call("game:new", {});
    if (!reply.ok) setError(friendlyError(reply.error));
  }

  return (
    <div className="phase phase-finished">
      <div className="turn-header">
        <div className="turn-heading">
          <p className="eyebrow">Game over</p>
          <h2 className="stage-title" id="stage-title" tabIndex={-1}>
            {winnerTitle(standings)}
          </h2>
        </div>
        <div className="finish-actions">
          {view.you?.isHost ? (
            <button type="button" className="btn btn-accent btn-large" onClick={() => void again()}>
              <Icon name="refresh" /> Play again
            </button>
          ) : (
            <p className="muted">Waiting for {host?.name ?? "the host"} to start another game…</p>
          )}
        </div>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <Podium standings={standings} />
      <section className="card" aria-labelledby="standings-title">
        <h3 id="standings-title" className="card-title">
          <Icon name="trophy" /> Final standings
        </h3>
        <ol className="standings">
          {standings.map((s) => (
            <li key={s.playerId} className={s.playerId === view.you?.id ? "is-you" : undefined}>
              <span className="standing-place">{ordinal(s.place)}</span>
              <Avatar id={s.playerId} name={s.name} size="sm" />
              <span className="standing-name">{s.name}</span>
              <span className="standing-score" data-testid={`standing-${s.playerId}`}>
                {s.score}
              </span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="album-title">
        <h3 id="album-title" className="section-title">
          The album
        </h3>
        <ul className="album">
          {view.album.map((entry) => (
            <AlbumCard key={`${entry.round}-${entry.turn}`} entry={entry} code={view.code} />
          ))}
        </ul>
      </section>
    </div>
  );
}
