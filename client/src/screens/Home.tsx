import { useId, useState, type FormEvent } from "react";
import { Icon } from "../components/Icon";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import { sounds } from "../lib/sound";
import { saved } from "../lib/storage";
import { isValidCode, MAX_NAME, normalizeCode, type ProtocolError } from "../protocol";

/** Server refusals that are about one field: shown next to it rather than in the page banner. */
export function fieldOf(code: string): "name" | "code" | null {
  if (code === "name_taken" || code === "name_invalid") return "name";
  if (code === "room_full" || code === "room_not_found" || code === "room_closed" || code === "bad_code") return "code";
  return null;
}

export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return "Type a name first.";
  if ([...trimmed].length > MAX_NAME) return `Names have at most ${MAX_NAME} characters.`;
  return null;
}

/**
 * What the code box keeps of what was typed or pasted: the code of an invite link
 * (`https://host/r/K7QX2M`), or the letters and digits of a code with spaces around or
 * inside it, upper-cased, at most 6. The box has no `maxLength`: the browser would cut a
 * pasted link to "HTTP:/" before this sees it.
 */
export function codeFromInput(raw: string): string {
  const link = /\/r\/([A-Za-z0-9]+)/.exec(raw);
  const text = link ? link[1] : raw;
  return normalizeCode(text.replace(/[^A-Za-z0-9]+/g, "")).slice(0, 6);
}

export function Home({ inviteCode }: { inviteCode: string | null }) {
  const { state, api, dispatch } = useGame();
  const [name, setName] = useState(saved.name);
  const [code, setCode] = useState(inviteCode ?? "");
  const [spectator, setSpectator] = useState(false);
  // watch: the room has no player place left, but watching may still be possible.
  const [problem, setProblem] = useState<{ field: "name" | "code"; text: string; watch?: boolean } | null>(null);
  const busy = state.stage === "entering";
  const ids = { name: useId(), nameError: useId(), code: useId(), codeError: useId() };

  function checkName(): string | null {
    const text = nameProblem(name);
    if (text) {
      setProblem({ field: "name", text });
      document.getElementById(ids.name)?.focus();
      return null;
    }
    const clean = name.trim();
    saved.setName(clean);
    sounds.unlock();
    return clean;
  }

  /** Put a refusal about one field next to that field (and not in the banner too). */
  function refused(error: ProtocolError | null, asSpectator: boolean) {
    const field = error ? fieldOf(error.code) : null;
    if (!error || !field) return;
    dispatch({ type: "dismissNotice" });
    setProblem({ field, text: friendlyError(error), watch: error.code === "room_full" && !asSpectator });
    document.getElementById(field === "name" ? ids.name : ids.code)?.focus();
  }

  async function create() {
    setProblem(null);
    const clean = checkName();
    if (clean) refused(await api.create(clean, spectator), spectator);
  }

  async function watchInstead() {
    setProblem(null);
    const clean = checkName();
    if (!clean) return;
    setSpectator(true);
    refused(await api.join(normalizeCode(code), clean, true), true);
  }

  async function join(event?: FormEvent) {
    event?.preventDefault();
    setProblem(null);
    const clean = checkName();
    if (!clean) return;
    if (!isValidCode(code)) {
      setProblem({ field: "code", text: "Room codes are 6 letters and digits, like K7QX2M." });
      document.getElementById(ids.code)?.focus();
      return;
    }
    refused(await api.join(normalizeCode(code), clean, spectator), spectator);
  }

  const nameError = problem?.field === "name" ? problem.text : null;
  const codeError = problem?.field === "code" ? problem.text : null;

  const joinForm = (
    <form className="join-form" onSubmit={join} noValidate>
      <label htmlFor={ids.code}>Room code</label>
      <div className="field-row">
        <input
          id={ids.code}
          className="input input-code"
          value={code}
          onChange={(e) => {
            setCode(codeFromInput(e.target.value));
            if (problem?.field === "code") setProblem(null); // the error was about the old code
          }}
          onPaste={(e) => {
            // A pasted link or code replaces what was there, rather than joining it.
            const pasted = e.clipboardData.getData("text");
            if (!pasted) return;
            e.preventDefault();
            setCode(codeFromInput(pasted));
          }}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="K7QX2M"
          aria-invalid={!!codeError}
          aria-describedby={codeError ? ids.codeError : undefined}
        />
        <button type="submit" className={inviteCode ? "btn btn-primary" : "btn btn-secondary"} disabled={busy}>
          {spectator ? "Watch" : "Join"}
        </button>
      </div>
      {codeError && (
        <div className="field-error-row">
          <p className="field-error" id={ids.codeError} role="alert">
            {codeError}
          </p>
          {problem?.watch && (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => void watchInstead()} disabled={busy}>
              <Icon name="eye" size={18} /> Watch instead
            </button>
          )}
        </div>
      )}
    </form>
  );

  return (
    <div className="home">
      <section className="hero">
        <h1 className="hero-title">
          imprompt<span className="brand-dot">.</span>
        </h1>
        <p className="hero-tagline">Write a prompt. Watch it drawn. Guess what the others wrote.</p>
      </section>

      <section className="card home-card" aria-labelledby="play-title">
        <h2 id="play-title">{inviteCode ? `Join room ${inviteCode}` : "Play"}</h2>
        <div className="field">
          <label htmlFor={ids.name}>Your name</label>
          <input
            id={ids.name}
            className="input"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (problem?.field === "name") setProblem(null);
            }}
            maxLength={MAX_NAME}
            autoComplete="nickname"
            placeholder="e.g. Ada"
            aria-invalid={!!nameError}
            aria-describedby={nameError ? ids.nameError : undefined}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                void (inviteCode ? join() : create());
              }
            }}
          />
          {nameError && (
            <p className="field-error" id={ids.nameError} role="alert">
              {nameError}
            </p>
          )}
        </div>
        <label className="check">
          <input type="checkbox" checked={spectator} onChange={(e) => setSpectator(e.target.checked)} />
          <span>Just watch (join as a spectator)</span>
        </label>

        {inviteCode ? (
          <>
            {joinForm}
            <div className="divider">
              <span>or</span>
            </div>
            <button type="button" className="btn btn-secondary btn-block" onClick={create} disabled={busy}>
              Create a new room instead
            </button>
          </>
        ) : (
          <>
            <button type="button" className="btn btn-primary btn-block btn-large" onClick={create} disabled={busy}>
              <Icon name="sparkle" /> Create a room
            </button>
            <div className="divider">
              <span>or join friends</span>
            </div>
            {joinForm}
          </>
        )}
        {busy && (
          <p className="muted small" role="status">
            <span className="spinner" aria-hidden="true" /> Connecting…
          </p>
        )}
      </section>

      <section className="card how" aria-labelledby="how-title">
        <h2 id="how-title">How to play</h2>
        <ol className="how-steps">
          <li>
            <span>
              <strong>Write.</strong> On your turn, describe a picture in a few words.
            </span>
          </li>
          <li>
            <span>
              <strong>Watch.</strong> An image generator draws your prompt.
            </span>
          </li>
          <li>
            <span>
              <strong>Guess.</strong> Everyone else guesses the prompt from the picture. Close in meaning counts: “puppy”
              is warm for “dog”.
            </span>
          </li>
          <li>
            <span>
              <strong>Score.</strong> Quick, close guesses score most, and the writer scores when people get near.
            </span>
          </li>
        </ol>
      </section>
    </div>
  );
}
