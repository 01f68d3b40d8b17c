import { useEffect, useState } from "react";
import { Icon } from "../components/Icon";
import { PackImport } from "../components/PackImport";
import { PlayerList } from "../components/PlayerList";
import { SettingsForm } from "../components/SettingsForm";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import { roomLink, tvPath } from "../lib/route";
import type { Ack, View } from "../protocol";

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** How long "Link copied!" stays before it fades away. */
export const COPIED_MS = 3000;

export function RoomCode({ code }: { code: string }) {
  const [copied, setCopied] = useState<{ result: "yes" | "no"; at: number } | null>(null);
  const link = roomLink(code);
  useEffect(() => {
    if (copied?.result !== "yes") return; // "Copy the link below" stays: it is an instruction
    const timer = window.setTimeout(() => setCopied(null), COPIED_MS);
    return () => window.clearTimeout(timer);
  }, [copied]);
  return (
    <div className="room-code-card">
      <p className="eyebrow" id="room-code-label">
        Room code
      </p>
      <p className="room-code" aria-labelledby="room-code-label" data-testid="room-code">
        {code}
      </p>
      <div className="copy-row">
        <button
          type="button"
          className="btn btn-secondary"
          onClick={async () => setCopied({ result: (await copyText(link)) ? "yes" : "no", at: Date.now() })}
        >
          <Icon name="link" /> Copy invite link
        </button>
        <TvLink />
        <span role="status" className="copy-status">
          {copied?.result === "yes" && (
            <span className="copy-done" key={copied.at}>
              Link copied!
            </span>
          )}
          {copied?.result === "no" && "Copy the link below."}
        </span>
      </div>
      <p className="invite-link">
        <span className="visually-hidden">Invite link: </span>
        <span className="invite-link-text" data-testid="invite-link">
          {link}
        </span>
      </p>
    </div>
  );
}

/** Opens the room's big screen (/r/CODE/tv) in a new tab: a laptop plugged into the TV. */
export function TvLink({ small = false }: { small?: boolean }) {
  const { state } = useGame();
  if (!state.code) return null;
  return (
    <a className={small ? "btn btn-ghost btn-small" : "btn btn-ghost"} href={tvPath(state.code)} target="_blank" rel="noopener" data-testid="tv-link">
      <Icon name="tv" /> Show on TV<span className="visually-hidden"> (opens a new tab)</span>
    </a>
  );
}

export function Lobby({ view }: { view: View }) {
  const { api } = useGame();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const you = view.you;
  const me = view.members.find((m) => m.id === you?.id);
  const players = view.members.filter((m) => m.role === "player");
  const ready = players.filter((m) => m.ready).length;
  const host = view.members.find((m) => m.isHost);

  async function run(action: () => Promise<Ack>) {
    setError(null);
    setBusy(true);
    const reply = await action();
    setBusy(false);
    if (!reply.ok) setError(friendlyError(reply.error));
  }

  return (
    <div className="lobby">
      <div className="lobby-top card">
        <RoomCode code={view.code} />
        <div className="lobby-actions">
          <h1 className="stage-title" id="stage-title" tabIndex={-1}>
            {view.game >= 1 ? "Ready for another game?" : "Waiting for players"}</h1>
          <p className="muted">
            {players.length} of {view.settings.maxPlayers} players
          </p>
          {players.length > 0 && (
            <p className="ready-count" data-testid="ready-count">
              {ready} of {players.length} ready — the game starts when everyone is ready
            </p>
          )}
          {you?.role === "player" && me && (
            <button
              type="button"
              className={me.ready ? "btn btn-secondary btn-block" : "btn btn-primary btn-block"}
              aria-pressed={me.ready}
              disabled={busy}
              onClick={() => void run(() => api.call("player:ready", { ready: !me.ready }))}
            >
              <Icon name="check" /> {me.ready ? "Ready! (press to undo)" : "I'm ready"}
            </button>
          )}
          {you?.role === "spectator" && <p className="note">You are watching this game as a spectator.</p>}
          {you?.isHost ? (
            <>
              <button
                type="button"
                className="btn btn-accent btn-block btn-large"
                disabled={!view.canStart || busy}
                aria-describedby={!view.canStart ? "start-hint" : undefined}
                onClick={() => void run(() => api.call("game:start", {}))}
              >
                <Icon name="play" /> Start the game
              </button>
              {!view.canStart && (
                <p className="muted small" id="start-hint">
                  Starting needs at least 2 connected players. Share the code!
                </p>
              )}
            </>
          ) : (
            <p className="muted">Waiting for everyone to be ready, or for {host ? host.name : "the host"} to start the game.</p>
          )}
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
      </div>

      <div className="lobby-grid">
        <section className="card" aria-labelledby="players-title">
          <h2 id="players-title" className="card-title">
            <Icon name="users" /> Players
          </h2>
          <PlayerList view={view} />
          {!!view.screens && (
            <p className="muted small" data-testid="screens-note">
              <Icon name="tv" size={16} /> {view.screens === 1 ? "1 screen" : `${view.screens} screens`} showing the game
            </p>
          )}
        </section>
        <section className="card" aria-labelledby="settings-title">
          <h2 id="settings-title" className="card-title">
            Settings {!you?.isHost && <span className="muted small">(the host chooses)</span>}
          </h2>
          <SettingsForm settings={view.settings} editable={!!you?.isHost} customPack={view.customPack} />
          {you?.isHost && <PackImport customPack={view.customPack} />}
        </section>
      </div>
    </div>
  );
}
