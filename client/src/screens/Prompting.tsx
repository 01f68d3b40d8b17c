import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Avatar } from "../components/Avatar";
import { Icon } from "../components/Icon";
import { TurnHeader } from "../components/TurnHeader";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import { checkWords } from "../lib/words";
import { MAX_PROMPT, type View } from "../protocol";

export function Prompting({ view }: { view: View }) {
  const turn = view.turn!;
  const isGiver = turn.giverId === view.you?.id;
  const giver = view.members.find((m) => m.id === turn.giverId);
  if (isGiver) return view.settings.packOnly ? <PackChoices view={view} /> : <PromptForm view={view} />;
  return (
    <div className="phase phase-prompting">
      <TurnHeader
        view={view}
        title={view.settings.packOnly ? "A prompt is being picked" : "A prompt is being written"}
        timerLabel={view.settings.packOnly ? "Time to pick" : "Writing time"}
        total={view.settings.promptSeconds}
        alert={false}
      />
      <div className="waiting card">
        {giver && <Avatar id={giver.id} name={giver.name} size="lg" />}
        <p className="waiting-text">
          <strong>{giver?.name ?? "Someone"}</strong> {view.settings.packOnly ? "is picking a prompt from the pack" : "is writing a prompt"}
          <span className="dots" aria-hidden="true">
            <span>.</span>
            <span>.</span>
            <span>.</span>
          </span>
        </p>
        {view.paused && <p className="note">{giver?.name ?? "The prompt giver"} lost their connection. The timer waits for them.</p>}
        {turn.failureReason && <p className="note">{turn.failureReason}</p>}
        <p className="muted">Get ready to guess: the picture appears as soon as it is drawn.</p>
      </div>
    </div>
  );
}

/** Pack-only mode: the writer picks one of three prompts from the room's pack. */
function PackChoices({ view }: { view: View }) {
  const { api, state } = useGame();
  const turn = view.turn!;
  const [choices, setChoices] = useState<string[]>(turn.suggestions ?? []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const failure = turn.failureReason ?? (state.imageFailure?.turn === turn.number ? state.imageFailure.reason : null);
  const known = choices.length > 0;

  useEffect(() => {
    if (known) return;
    let live = true;
    void api.call("prompt:suggest", {}).then((reply) => {
      if (!live) return;
      if (reply.ok) setChoices(reply.suggestions);
      else setError(friendlyError(reply.error));
    });
    return () => {
      live = false;
    };
  }, [api, known]);

  async function pick(text: string) {
    setError(null);
    setBusy(true);
    const reply = await api.call("prompt:submit", { text });
    setBusy(false);
    if (!reply.ok) setError(friendlyError(reply.error));
  }

  return (
    <div className="phase phase-prompting">
      <TurnHeader view={view} title="Your turn: pick a prompt" timerLabel="Time to pick" total={view.settings.promptSeconds} />
      {failure && (
        <div className="alert alert-error" role="alert">
          <strong>The image could not be drawn.</strong> {failure} Pick again.
          {turn.failures >= 2 && " This time the built-in generator will draw it."}
        </div>
      )}
      <section className="card prompt-card" aria-labelledby="pack-choices-title">
        <h2 id="pack-choices-title" className="big-label">
          Choose one of these three for the others to guess
        </h2>
        {known ? (
          <ul className="pack-choices">
            {choices.map((c) => (
              <li key={c}>
                <button type="button" className="btn btn-secondary btn-large btn-block pack-choice" disabled={busy} onClick={() => void pick(c)}>
                  {c}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          !error && <p className="muted">Drawing three prompts from the pack…</p>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <p className="muted small">If the time runs out, the first one is drawn for you.</p>
      </section>
    </div>
  );
}

function PromptForm({ view }: { view: View }) {
  const { api, state } = useGame();
  const turn = view.turn!;
  const max = view.settings.maxWords;
  const [text, setText] = useState(turn.prompt ?? "");
  const [suggestions, setSuggestions] = useState<string[]>(turn.suggestions ?? []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const ids = { input: useId(), counter: useId(), error: useId() };
  const check = checkWords(text, max);
  const failure = turn.failureReason ?? (state.imageFailure?.turn === turn.number ? state.imageFailure.reason : null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  async function suggest() {
    setError(null);
    const reply = await api.call("prompt:suggest", {});
    if (reply.ok) setSuggestions(reply.suggestions);
    else setError(friendlyError(reply.error));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (check.empty) {
      setError("Write a few words first.");
      input.current?.focus();
      return;
    }
    if (check.over) {
      setError(`Use at most ${max} word${max === 1 ? "" : "s"}.`);
      input.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    const reply = await api.call("prompt:submit", { text });
    setBusy(false);
    if (!reply.ok) {
      setError(friendlyError(reply.error));
      input.current?.focus();
    }
  }

  return (
    <div className="phase phase-prompting">
      <TurnHeader view={view} title="Your turn: write a prompt" timerLabel="Time to write" total={view.settings.promptSeconds} />
      {failure && (
        <div className="alert alert-error" role="alert">
          <strong>The image could not be drawn.</strong> {failure} Send your prompt again, or change it.
          {turn.failures >= 2 && " This time the built-in generator will draw it."}
        </div>
      )}
      <form className="card prompt-card" onSubmit={submit} noValidate>
        <label htmlFor={ids.input} className="big-label">
          Describe a picture in at most {max} word{max === 1 ? "" : "s"}
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
            maxLength={MAX_PROMPT}
            autoComplete="off"
            placeholder="e.g. a cat surfing a wave"
            aria-invalid={check.over || !!error}
            aria-describedby={`${ids.counter}${error ? ` ${ids.error}` : ""}`}
          />
          <button type="submit" className="btn btn-primary btn-large" disabled={busy || check.over || check.empty}>
            <Icon name="pen" /> Draw it
          </button>
        </div>
        <p className={`word-counter${check.over ? " over" : ""}`} id={ids.counter} data-testid="word-counter">
          {check.over ? `Too many words: ${check.label}` : check.label}
        </p>
        {error && (
          <p className="field-error" role="alert" id={ids.error}>
            {error}
          </p>
        )}
        <div className="suggest">
          <button type="button" className="btn btn-ghost" onClick={() => void suggest()}>
            <Icon name="sparkle" /> {suggestions.length ? "Other ideas" : "Give me ideas"}
          </button>
          {suggestions.length > 0 && (
            <ul className="chips" aria-label="Suggested prompts">
              {suggestions.map((s) => (
                <li key={s}>
                  <button
                    type="button"
                    className="chip"
                    onClick={() => {
                      setText(s);
                      setError(null);
                      input.current?.focus();
                    }}
                  >
                    {s}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <p className="muted small">Tip: concrete things draw best. The others score by guessing close in meaning.</p>
      </form>
    </div>
  );
}
