import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import { MAX_CHAT, type ChatLine, type View } from "../protocol";
import { hueFor } from "./Avatar";
import { Icon } from "./Icon";

function time(at: number): string {
  return new Date(at * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** While others still guess, the giver and the solvers talk in the solved channel (docs/protocol.md, "Chat"). */
export function inSolvedChannel(view: View | null): boolean {
  const you = view?.you?.id;
  const turn = view?.turn;
  if (!you || !turn || view.phase !== "guessing") return false;
  return turn.giverId === you || turn.solvedIds.includes(you);
}

function Line({ line }: { line: ChatLine }) {
  if (line.kind === "system") {
    return (
      <li className={`chat-line chat-system chat-event-${line.event ?? "other"}`} data-kind="system">
        <span className="chat-text">{line.text}</span> <time className="chat-time">{time(line.at)}</time>
      </li>
    );
  }
  const solved = line.channel === "solved";
  return (
    <li className={solved ? "chat-line chat-solved" : "chat-line"}>
      {solved && (
        <span className="chat-channel" title="Only the prompt writer, players who got it and spectators see this">
          solved
        </span>
      )}
      <span className="chat-name" style={{ "--hue": hueFor(line.playerId) } as React.CSSProperties}>
        {line.name}
      </span>{" "}
      <span className="chat-text">{line.text}</span> <time className="chat-time">{time(line.at)}</time>
    </li>
  );
}

export function Chat() {
  const { state, api } = useGame();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const inputId = useId();
  const lines = state.chat;
  const you = state.view?.you?.id;
  const solvedChannel = inSolvedChannel(state.view);

  useEffect(() => {
    const el = list.current;
    if (!el) return;
    const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 120;
    if (nearBottom || lines[lines.length - 1]?.playerId === you) el.scrollTop = el.scrollHeight;
  }, [lines, you]);

  async function send(event: FormEvent) {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    setError(null);
    const reply = await api.call("chat:send", { text: message });
    if (reply.ok) setText("");
    else setError(friendlyError(reply.error));
  }

  return (
    <section className="card chat" aria-labelledby="chat-title">
      <h2 id="chat-title" className="card-title">
        <Icon name="chat" /> Chat
      </h2>
      {/* the log is a wrapper, so the list keeps its list semantics */}
      <div className="chat-lines" ref={list} role="log" aria-label="Chat messages" tabIndex={0}>
        <ol className="chat-list">
          {lines.length === 0 && <li className="muted small chat-empty">No messages yet. Say hi!</li>}
          {lines.map((line) => (
            <Line key={line.id} line={line} />
          ))}
        </ol>
      </div>
      {solvedChannel && (
        <p className="chat-channel-note small" data-testid="solved-channel-note">
          <span className="chat-channel">solved</span> Only the writer, players who got it and spectators see what you
          write now.
        </p>
      )}
      <form className="chat-form" onSubmit={send}>
        <label htmlFor={inputId} className="visually-hidden">
          Chat message
        </label>
        <input
          id={inputId}
          className="input"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (error) setError(null);
          }}
          maxLength={MAX_CHAT}
          autoComplete="off"
          placeholder={solvedChannel ? "Talk with the solvers…" : "Say something…"}
          aria-describedby={error ? `${inputId}-error` : undefined}
        />
        <button type="submit" className="btn btn-secondary" aria-label="Send message">
          <Icon name="send" />
        </button>
      </form>
      {error && (
        <p className="field-error" role="alert" id={`${inputId}-error`}>
          {error}
        </p>
      )}
    </section>
  );
}
