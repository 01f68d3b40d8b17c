import { useState } from "react";
import { Avatar } from "../components/Avatar";
import { GuessReason } from "../components/GuessReason";
import { Icon } from "../components/Icon";
import { SimilarityBar } from "../components/Warmth";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import { ordinal } from "../lib/changes";
import { albumPack, packFileText } from "../lib/packs";
import type { AlbumEntry, Standing, View } from "../protocol";

/** "Ann wins!", or "Ann and Bob share the win!" on a tie. */
export function winnerTitle(standings: Standing[]): string {
  const winners = standings.filter((s) => s.place === 1).map((s) => s.name);
  if (!winners.length) return "Game over";
  if (winners.length === 1) return `${winners[0]} wins!`;
  return `${winners.slice(0, -1).join(", ")} and ${winners[winners.length - 1]} share the win!`;
}

/** A player who left during or after the game: they keep their place, greyed out. */
function LeftTag() {
  return <span className="left-tag"> (left)</span>;
}

export function Podium({ standings }: { standings: Standing[] }) {
  const top = standings.filter((s) => s.place <= 3).slice(0, 3);
  // 2nd, 1st, 3rd from left to right, like a real podium.
  const order = [top[1], top[0], top[2]].filter((s): s is Standing => !!s);
  return (
    <ol className="podium" aria-label="Podium">
      {order.map((s) => (
        <li key={s.playerId} className={`podium-step place-${Math.min(s.place, 3)}${s.left ? " has-left" : ""}`}>
          <Avatar id={s.playerId} name={s.name} size="lg" />
          <span className="podium-name">
            {s.name}
            {s.left && <LeftTag />}
          </span>
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

/** The game's prompts as a pack file (docs/packs.md), to import into another room. */
function ExportPack({ view }: { view: View }) {
  const pack = albumPack(view.album, view.code);
  if (pack.prompts.length === 0) return null;
  function download() {
    const url = URL.createObjectURL(new Blob([packFileText(pack)], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `imprompt-${view.code}-prompts.json`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  return (
    <button type="button" className="btn btn-ghost" onClick={download}>
      <Icon name="download" size={16} /> Save the {pack.prompts.length} prompts as a pack
    </button>
  );
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
          <>
            <p className="small">
              Best guess: “{best.guess}” by {best.name} <SimilarityBar value={best.similarity} />
            </p>
            <GuessReason reason={best.reason} className="small" />
          </>
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

/** The host steps the big screens through the album (album:step); shown while a screen watches. */
export function AlbumRemote({ view }: { view: View }) {
  const { api } = useGame();
  const [error, setError] = useState<string | null>(null);
  const total = view.album.length;
  if (!view.you?.isHost || !view.screens || total === 0) return null;
  const index = Math.min(view.albumIndex ?? 0, total - 1);
  async function go(to: number) {
    const reply = await api.call("album:step", { index: to });
    setError(reply.ok ? null : friendlyError(reply.error));
  }
  return (
    <div className="album-remote" role="group" aria-label="The album on the TV">
      <button type="button" className="btn btn-secondary btn-small" disabled={index <= 0} onClick={() => void go(index - 1)}>
        Previous
      </button>
      <span className="album-remote-pos" role="status">
        <Icon name="tv" size={18} /> Picture {index + 1} of {total}
      </span>
      <button type="button" className="btn btn-primary btn-small" disabled={index >= total - 1} onClick={() => void go(index + 1)}>
        Next
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The end of a game. "Play again" is each player's own (issue 15 item 12): it says ready
 * for the next game (it carries into the lobby) and takes this player to the lobby once
 * the host opens it. With `inLobby` the room is already there: this is the last game,
 * kept on screen until the player goes back.
 */
export function Finished({ view, inLobby = false }: { view: View; inLobby?: boolean }) {
  const { api, state, dispatch } = useGame();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const standings = view.standings ?? [];
  const host = view.members.find((m) => m.isHost);
  const me = view.members.find((m) => m.id === view.you?.id);
  const player = view.you?.role === "player";
  const going = state.backInLobby || !!me?.ready;

  async function run(event: "player:ready" | "game:new") {
    setError(null);
    setBusy(true);
    const reply = event === "game:new" ? await api.call("game:new", {}) : await api.call("player:ready", { ready: true });
    setBusy(false);
    if (!reply.ok) setError(friendlyError(reply.error));
    else dispatch({ type: "backToLobby" });
  }

  return (
    <div className="phase phase-finished">
      {inLobby && (
        <div className="note lobby-waiting-banner" role="status" data-testid="lobby-waiting">
          <span>The others are in the lobby for a new game.</span>
          <button type="button" className="btn btn-primary" onClick={() => dispatch({ type: "backToLobby" })}>
            <Icon name="refresh" /> Back to the lobby
          </button>
        </div>
      )}
      <div className="turn-header">
        <div className="turn-heading">
          <p className="eyebrow">Game over</p>
          <h1 className="stage-title" id="stage-title" tabIndex={-1}>
            {winnerTitle(standings)}
          </h1>
        </div>
        {!inLobby && (
          <div className="finish-actions">
            {player && !going && (
              <button type="button" className="btn btn-accent btn-large" disabled={busy} onClick={() => void run("player:ready")}>
                <Icon name="refresh" /> Play again
              </button>
            )}
            {view.you?.isHost && (
              <button type="button" className={going || !player ? "btn btn-accent btn-large" : "btn btn-secondary btn-large"} disabled={busy} onClick={() => void run("game:new")}>
                <Icon name="play" /> New game
              </button>
            )}
            {player && going && !view.you?.isHost && (
              <p className="muted" role="status">
                You are in for the next game. Waiting for {host?.name ?? "the host"} to open it…
              </p>
            )}
            {!player && !view.you?.isHost && <p className="muted">Waiting for {host?.name ?? "the host"} to start another game…</p>}
          </div>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <Podium standings={standings} />
      {!inLobby && <AlbumRemote view={view} />}
      <section className="card" aria-labelledby="standings-title">
        <h2 id="standings-title" className="card-title">
          <Icon name="trophy" /> Final standings
        </h2>
        <ol className="standings">
          {standings.map((s) => (
            <li key={s.playerId} className={[s.playerId === view.you?.id ? "is-you" : "", s.left ? "has-left" : ""].join(" ").trim() || undefined}>
              <span className="standing-place">{ordinal(s.place)}</span>
              <Avatar id={s.playerId} name={s.name} size="sm" />
              <span className="standing-name">
                {s.name}
                {s.left && <LeftTag />}
              </span>
              <span className="standing-score" data-testid={`standing-${s.playerId}`}>
                {s.score}
              </span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="album-title">
        <div className="album-head">
          <h2 id="album-title" className="section-title">
            The album
          </h2>
          <ExportPack view={view} />
        </div>
        <ul className="album">
          {view.album.map((entry) => (
            <AlbumCard key={`${entry.round}-${entry.turn}`} entry={entry} code={view.code} />
          ))}
        </ul>
      </section>
    </div>
  );
}
