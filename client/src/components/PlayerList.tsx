import { useState } from "react";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import type { Member, View } from "../protocol";
import { Avatar } from "./Avatar";
import { Badge } from "./Badges";

/** The lobby's list of members: host, ready and connection badges; kick controls. */
export function PlayerList({ view }: { view: View }) {
  const { api } = useGame();
  const [error, setError] = useState<string | null>(null);
  const you = view.you;
  const players = view.members.filter((m) => m.role === "player");
  const spectators = view.members.filter((m) => m.role === "spectator");
  const canVote = you?.role === "player" && !you.isHost && players.length >= 3;

  async function remove(member: Member) {
    setError(null);
    if (you?.isHost) {
      if (!window.confirm(`Remove ${member.name} from the room?`)) return;
      const reply = await api.call("player:kick", { playerId: member.id });
      if (!reply.ok) setError(friendlyError(reply.error));
    } else {
      const reply = await api.call("player:votekick", { playerId: member.id });
      if (!reply.ok) setError(friendlyError(reply.error));
    }
  }

  const row = (m: Member) => (
    <li key={m.id} className={`player-row${m.connected ? "" : " is-offline"}`}>
      <Avatar id={m.id} name={m.name} />
      <span className="player-name">
        {m.name}
        {m.id === you?.id && <span className="you-tag"> (you)</span>}
      </span>
      <span className="player-badges">
        {m.isHost && <Badge tone="host" icon="crown">Host</Badge>}
        {m.role === "player" &&
          (m.ready ? (
            <Badge tone="ready" icon="check">
              Ready
            </Badge>
          ) : (
            <Badge tone="waiting">Not ready</Badge>
          ))}
        {m.role === "spectator" && <Badge tone="spectator" icon="eye">Watching</Badge>}
        {!m.connected && <Badge tone="offline" icon="offline">Offline</Badge>}
        {!!view.kickVotes[m.id] && <Badge tone="warn">{view.kickVotes[m.id]} vote(s) to remove</Badge>}
      </span>
      {m.id !== you?.id && (you?.isHost || (canVote && m.role === "player")) && (
        <button type="button" className="btn btn-ghost btn-small" onClick={() => void remove(m)}>
          {you?.isHost ? "Remove" : "Vote to remove"}
          <span className="visually-hidden"> {m.name}</span>
        </button>
      )}
    </li>
  );

  return (
    <div>
      <ul className="player-list" aria-label="Players">
        {players.map(row)}
      </ul>
      {spectators.length > 0 && (
        <>
          <h3 className="subhead">Watching</h3>
          <ul className="player-list" aria-label="Spectators">
            {spectators.map(row)}
          </ul>
        </>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
