import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import { MAX_CHAT } from "../protocol";
import { hueFor } from "./Avatar";
import { Icon } from "./Icon";

function time(at: number): string {
  return new Date(at * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function Chat() {
  const { state, api } = useGame();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const inputId = useId();
  const lines = state.chat;
  const you = state.view?.you?.id;

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
      <ol className="chat-lines" ref={list} role="log" aria-label="Chat messages" tabIndex={0}>
        {lines.length === 0 && <li className="muted small chat-empty">No messages yet. Say hi!</li>}
        {lines.map((line) => (
          <li key={line.id} className="chat-line">
            <span className="chat-name" style={{ "--hue": hueFor(line.playerId) } as React.CSSProperties}>
              {line.name}
            </span>{" "}
            <span className="chat-text">{line.text}</span> <time className="chat-time">{time(line.at)}</time>
          </li>
        ))}
      </ol>
      <form className="chat-form" onSubmit={send}>
        <label htmlFor={inputId} className="visually-hidden">
          Chat message
        </label>
        <input
          id={inputId}
          className="input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={MAX_CHAT}
          autoComplete="off"
          placeholder="Say something…"
        />
        <button type="submit" className="btn btn-secondary" aria-label="Send message">
          <Icon name="send" />
        </button>
      </form>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
