// The big screen (issue 12): /r/<CODE>/tv, loaded on its own (App.tsx). It watches the room
// as a screen (room:screen), so its view is a spectator's: the picture, the hint, who has
// solved it and never a guess before the reveal. Read from across a room: large type, no
// scrolling, nothing to press but "Try again".
import { useEffect, useRef } from "react";
import { Avatar } from "../components/Avatar";
import { Icon } from "../components/Icon";
import { useGame } from "../context";
import { useCountdown } from "../hooks";
import { skippedText } from "../lib/changes";
import { formatSeconds } from "../lib/clock";
import { roomLink } from "../lib/route";
import type { AlbumEntry, Result, View } from "../protocol";
import { Podium, winnerTitle } from "./Finished";
import { Hint } from "./Guessing";
import { PHASE_TITLES } from "./Room";
import { QrCode } from "./TvQr";

function nameOf(view: View, id: string | undefined): string {
  return view.members.find((m) => m.id === id)?.name ?? "Someone";
}

function Timer({ view }: { view: View }) {
  const seconds = useCountdown(view.deadline, view.paused, view.pausedRemaining);
  if (seconds === null || view.phase === "finished") return null;
  return (
    <p className="tv-timer" role="timer" aria-label={`${seconds} seconds left`} data-testid="tv-timer">
      {formatSeconds(seconds)}
    </p>
  );
}

function Join({ code, big = false }: { code: string; big?: boolean }) {
  const link = roomLink(code);
  return (
    <div className={big ? "tv-join tv-join-big" : "tv-join"}>
      <QrCode text={link} label={`QR code to join room ${code}`} />
      <div className="tv-join-text">
        <p className="tv-join-title">{big ? "Scan to join" : "Join"}</p>
        <p className="tv-code" aria-label={`Room code ${code.split("").join(" ")}`}>
          {code}
        </p>
        <p className="tv-link">{link.replace(/^https?:\/\//, "")}</p>
      </div>
    </div>
  );
}

function Players({ view }: { view: View }) {
  const turn = view.phase === "guessing" ? view.turn : null;
  const players = view.members.filter((m) => m.role === "player" || m.joinsNextRound);
  const watching = view.members.length - players.length;
  return (
    <section className="tv-players" aria-labelledby="tv-players-title">
      <h2 id="tv-players-title" className="tv-subhead">
        {turn ? `Solved: ${turn.solvedIds.length} of ${turn.guesserIds.length}` : `Players (${players.length})`}
      </h2>
      <ul className={players.length > 7 ? "is-long" : undefined}>
        {players.map((m) => {
          const solved = !!turn?.solvedIds.includes(m.id);
          const giving = !!view.turn && view.phase !== "lobby" && view.phase !== "finished" && view.turn.giverId === m.id;
          return (
            <li key={m.id} className={[solved ? "solved" : "", m.connected ? "" : "away"].join(" ").trim() || undefined}>
              <Avatar id={m.id} name={m.name} size="sm" />
              <span className="tv-player-name">{m.name}</span>
              {solved && (
                <span className="tv-tag tv-tag-solved">
                  <Icon name="check" size={18} /> solved
                </span>
              )}
              {giving && <span className="tv-tag">prompt</span>}
              {view.phase !== "lobby" && <span className="tv-score">{m.score}</span>}
            </li>
          );
        })}
      </ul>
      {(watching > 0 || (view.screens ?? 0) > 1) && (
        <p className="tv-note">
          {watching > 0 && `${watching} watching`}
          {watching > 0 && (view.screens ?? 0) > 1 && " · "}
          {(view.screens ?? 0) > 1 && `${view.screens} screens`}
        </p>
      )}
    </section>
  );
}

/** Every guesser's best guess, best first: larger and plainer than the phones' table. */
function Results({ results }: { results: Result[] }) {
  const sorted = [...results].sort((a, b) => b.points - a.points || b.similarity - a.similarity);
  if (!sorted.length) return <p className="tv-lead">Nobody guessed this time.</p>;
  return (
    <ol className={sorted.length > 6 ? "tv-results is-long" : "tv-results"} aria-label="Everyone's best guess">
      {sorted.map((r) => (
        <li key={r.playerId}>
          <Avatar id={r.playerId} name={r.name} size="sm" />
          <span className="tv-result-name">{r.name}</span>
          <span className={r.guess ? "tv-result-guess" : "tv-result-guess tv-none"} title={r.guess ?? undefined}>{r.guess ? `“${r.guess}”` : "no guess"}</span>
          <span className="tv-result-close">{r.similarity}%</span>
          <span className="tv-result-points">+{r.points}</span>
        </li>
      ))}
    </ol>
  );
}

function Picture({ url, alt }: { url: string | null; alt: string }) {
  if (!url) return <div className="tv-picture tv-picture-missing">No picture</div>;
  return <img className="tv-picture" src={url} alt={alt} />;
}

function Slide({ entry, index, total }: { entry: AlbumEntry; index: number; total: number }) {
  const best = [...entry.bestGuesses].sort((a, b) => b.similarity - a.similarity)[0];
  return (
    <figure className="tv-slide" data-testid="tv-slide">
      <Picture url={entry.imageUrl} alt={entry.prompt} />
      <figcaption>
        <p className="tv-eyebrow">
          Picture {index + 1} of {total} · by {entry.giverName}
        </p>
        <p className="tv-prompt">“{entry.prompt}”</p>
        {best?.guess ? (
          <p className="tv-best">
            Best guess: “{best.guess}” by {best.name} ({best.similarity}%)
          </p>
        ) : (
          <p className="tv-best">No guesses</p>
        )}
      </figcaption>
    </figure>
  );
}

export function TvStage({ view }: { view: View }) {
  const turn = view.turn;
  const giver = nameOf(view, turn?.giverId);
  switch (view.phase) {
    case "lobby":
      return (
        <div className="tv-stage tv-lobby">
          <h1 className="tv-title">{view.game >= 1 ? "Another game?" : "Join the game on your phone"}</h1>
          <Join code={view.code} big />
        </div>
      );
    case "prompting":
      return (
        <div className="tv-stage tv-waiting">
          <h1 className="tv-title">{giver} is writing a prompt…</h1>
          <p className="tv-lead">{view.paused ? `Waiting for ${giver} to come back.` : "Get ready to guess what the picture shows."}</p>
        </div>
      );
    case "generating":
      return (
        <div className="tv-stage tv-waiting" aria-busy="true">
          <h1 className="tv-title">Drawing {giver}’s prompt…</h1>
          <div className="indeterminate" aria-hidden="true">
            <span />
          </div>
        </div>
      );
    case "guessing":
      return (
        <div className="tv-stage tv-guessing">
          <h1 className="visually-hidden">Guess {giver}’s prompt</h1>
          <Picture url={turn?.imageUrl ?? null} alt={`${giver}’s picture: guess the prompt`} />
          {turn?.hint && turn.hint.length > 0 && <Hint hint={turn.hint} />}
        </div>
      );
    case "reveal":
      return (
        <div className="tv-stage tv-reveal">
          <Picture url={turn?.imageUrl ?? null} alt={turn?.prompt ?? "The picture"} />
          <div className="tv-reveal-text">
            <p className="tv-eyebrow">{giver} wrote</p>
            <h1 className="tv-prompt">“{turn?.prompt}”</h1>
            <Results results={turn?.results ?? []} />
          </div>
        </div>
      );
    case "finished": {
      const index = Math.min(view.albumIndex ?? 0, Math.max(0, view.album.length - 1));
      const entry = view.album[index];
      return (
        <div className="tv-stage tv-finished">
          <div className="tv-podium">
            <h1 className="tv-title">{winnerTitle(view.standings ?? [])}</h1>
            <Podium standings={view.standings ?? []} />
          </div>
          {entry && <Slide entry={entry} index={index} total={view.album.length} />}
        </div>
      );
    }
  }
}

export function TvRoom({ view }: { view: View }) {
  const { state } = useGame();
  const round = view.phase !== "lobby" && view.phase !== "finished" ? ` · Round ${view.round} of ${view.rounds}` : "";
  return (
    <div className={`tv tv-${view.phase}`} data-phase={view.phase}>
      <header className="tv-top">
        <span className="brand">
          imprompt<span className="brand-dot">.</span>
        </span>
        <span className="tv-phase">
          {PHASE_TITLES[view.phase]}
          {round}
        </span>
        {state.connection !== "online" && <span className="tv-offline">Reconnecting…</span>}
        <Timer view={view} />
      </header>
      <main className="tv-main" id="main">
        <div className="tv-center">
          {view.skippedTurn && <p className="tv-note tv-skipped">{skippedText(view.skippedTurn)}</p>}
          <TvStage view={view} />
        </div>
        <aside className="tv-side" aria-label="Players and how to join">
          {view.phase !== "lobby" && <Join code={view.code} />}
          <Players view={view} />
        </aside>
      </main>
    </div>
  );
}

/** The page: watch the room, then show it; say why when the room cannot be shown. */
export default function TvScreen({ code }: { code: string }) {
  const { state, api } = useGame();
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current) return; // StrictMode runs effects twice: one screen is enough
    asked.current = true;
    void api.watchScreen(code);
  }, [api, code]);
  useEffect(() => {
    document.title = `TV · ${code} · imprompt`;
    document.documentElement.classList.add("is-tv"); // the type scale of styles.css
    return () => document.documentElement.classList.remove("is-tv");
  }, [code]);

  if (state.stage === "room" && state.view) return <TvRoom view={state.view} />;
  return (
    <main className="tv tv-status" id="main">
      <h1 className="tv-title">{state.stage === "home" && state.notice ? state.notice.text : `Opening room ${code} on this screen…`}</h1>
      {state.stage === "home" && state.notice && (
        <button type="button" className="btn btn-primary btn-large" onClick={() => void api.watchScreen(code)}>
          <Icon name="refresh" /> Try again
        </button>
      )}
    </main>
  );
}
