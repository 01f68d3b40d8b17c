import { useEffect, useId, useRef, useState, type CSSProperties, type FormEvent } from "react";
import { AutoPromptNote } from "../components/AutoPromptNote";
import { Icon } from "../components/Icon";
import { SimilarityBar, WarmthBadge, WARMTH_LABEL } from "../components/Warmth";
import { TurnHeader } from "../components/TurnHeader";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import { announce } from "../lib/announce";
import { hintDescription, HIDDEN } from "../lib/hint";
import { sounds } from "../lib/sound";
import { MAX_GUESS, MAX_GUESSES, type GuessFeedback, type View } from "../protocol";

export const GUESS_ALT = "AI image: guess the prompt";

export function Hint({ hint }: { hint: string[] }) {
  return (
    <div className="hint">
      <p className="eyebrow" aria-hidden="true">
        Hint
      </p>
      <p className="visually-hidden">{hintDescription(hint)}</p>
      {/* One row of equal cells per word, each underlined by its own bottom border: a word
          never breaks across lines and a revealed letter sits on the line like the blanks. */}
      <div className="hint-words" aria-hidden="true" data-testid="hint">
        {hint.map((word, i) => {
          const cells = [...word];
          return (
            <span className="hint-word" key={i} style={{ "--cells": cells.length } as CSSProperties}>
              {cells.map((ch, j) => (
                <span
                  key={j}
                  className={ch === HIDDEN ? "hint-cell hint-letter" : /\p{L}/u.test(ch) ? "hint-cell hint-letter shown" : "hint-cell hint-sep"}
                >
                  {ch === HIDDEN ? "" : ch}
                </span>
              ))}
            </span>
          );
        })}
      </div>
    </div>
  );
}

export function Solvers({ view }: { view: View }) {
  const turn = view.turn!;
  const guessers = turn.guesserIds.map((id) => view.members.find((m) => m.id === id)).filter((m) => !!m);
  if (!guessers.length) return null;
  return (
    <div className="solvers">
      <h2 className="subhead">
        Solved: {turn.solvedIds.length} of {guessers.length}
      </h2>
      <ul className="solver-list">
        {guessers.map((m) => {
          const solved = turn.solvedIds.includes(m.id);
          return (
            <li key={m.id} className={solved ? "solver solved" : "solver"}>
              {solved ? <Icon name="check" size={16} /> : <span className="solver-dot" aria-hidden="true" />}
              {m.name}
              <span className="visually-hidden">{solved ? ": solved it" : ": still guessing"}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function GuessList({ guesses }: { guesses: GuessFeedback[] }) {
  if (!guesses.length) return <p className="muted small">Your guesses and how close they are will show here.</p>;
  return (
    <ol className="guess-list" aria-label="Your guesses" reversed>
      {[...guesses].reverse().map((g, i) => (
        <li key={guesses.length - i} className="guess-item">
          <span className="guess-text">{g.text}</span>
          <WarmthBadge warmth={g.warmth} />
          <SimilarityBar value={g.similarity} label={`${g.similarity}% close`} />
        </li>
      ))}
    </ol>
  );
}

function GuessForm({ view }: { view: View }) {
  const { api } = useGame();
  const turn = view.turn!;
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [local, setLocal] = useState<GuessFeedback[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const ids = { input: useId(), error: useId(), left: useId() };
  const yours = turn.yours;
  const fromView = yours?.guesses ?? [];
  const guesses = fromView.length >= local.length ? fromView : local;
  const solved = !!yours?.solved || guesses.some((g) => g.warmth === "got it");
  const left = Math.min(yours?.guessesLeft ?? MAX_GUESSES, MAX_GUESSES - guesses.length);
  const done = solved || left <= 0;

  useEffect(() => {
    input.current?.focus();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const guess = text.trim();
    if (!guess) {
      setError("Type a guess first.");
      return;
    }
    setBusy(true);
    setError(null);
    const reply = await api.call("guess:submit", { text: guess });
    setBusy(false);
    if (!reply.ok) {
      setError(friendlyError(reply.error));
      sounds.play("error");
      input.current?.focus();
      return;
    }
    setText("");
    setLocal([...guesses, { text: guess, similarity: reply.similarity, warmth: reply.warmth }]);
    if (reply.solved) {
      sounds.play("solved");
      announce(`You got it! ${reply.similarity}% close.`);
    } else {
      sounds.play(reply.warmth === "hot" ? "hot" : reply.warmth === "warm" ? "warm" : "cold");
      announce(`${WARMTH_LABEL[reply.warmth]}: ${reply.similarity}% close. ${reply.guessesLeft} guesses left.`);
      input.current?.focus();
    }
  }

  return (
    <div className="guess-panel">
      {solved ? (
        <div className="solved-banner" role="status">
          <Icon name="check" size={28} /> You got it! Waiting for the others…
        </div>
      ) : (
        <form className="guess-form" onSubmit={submit} noValidate>
          <label htmlFor={ids.input} className="big-label">
            Your guess
          </label>
          <div className="field-row">
            <input
              ref={input}
              id={ids.input}
              className="input input-large"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setError(null);
              }}
              maxLength={MAX_GUESS}
              autoComplete="off"
              placeholder="What was the prompt?"
              disabled={done}
              aria-describedby={`${ids.left}${error ? ` ${ids.error}` : ""}`}
            />
            <button type="submit" className="btn btn-primary btn-large" disabled={busy || done}>
              <Icon name="send" /> Guess
            </button>
          </div>
          <p className="muted small" id={ids.left}>
            {left > 0 ? `${left} guess${left === 1 ? "" : "es"} left` : "No guesses left this turn."}
          </p>
          {error && (
            <p className="field-error" role="alert" id={ids.error}>
              {error}
            </p>
          )}
        </form>
      )}
      <GuessList guesses={guesses} />
    </div>
  );
}

export function Guessing({ view }: { view: View }) {
  const turn = view.turn!;
  const you = view.you;
  const isGiver = turn.giverId === you?.id;
  const isGuesser = !!you && turn.guesserIds.includes(you.id);
  const giver = view.members.find((m) => m.id === turn.giverId);
  const title = isGiver ? "The others are guessing your prompt" : isGuesser ? "Guess the prompt!" : `Guessing ${giver?.name ?? "the"}'s prompt`;
  return (
    <div className="phase phase-guessing">
      <TurnHeader view={view} title={title} timerLabel="Time to guess" total={view.settings.guessSeconds} />
      {isGiver && turn.autoPrompt && <AutoPromptNote prompt={turn.prompt} />}
      <div className="guess-layout">
        <figure className="art">
          {turn.imageUrl && <img src={turn.imageUrl} alt={GUESS_ALT} className="art-img" data-testid="turn-image" />}
          <figcaption className="muted small">{isGiver ? "Drawn from your prompt" : `Drawn from ${giver?.name ?? "someone"}’s prompt`}</figcaption>
        </figure>
        <div className="guess-side">
          {turn.hint && turn.hint.length > 0 && <Hint hint={turn.hint} />}
          {isGiver && (
            <div className="card card-tight">
              <p className="eyebrow">Your prompt</p>
              <p className="prompt-quote">“{turn.prompt}”</p>
            </div>
          )}
          {isGuesser && <GuessForm view={view} />}
          {!isGiver && !isGuesser && <p className="note">You are watching this turn.</p>}
          <Solvers view={view} />
        </div>
      </div>
    </div>
  );
}
