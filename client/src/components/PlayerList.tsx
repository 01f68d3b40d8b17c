import { useState } from "react";
import type { Member, View } from "../protocol";
import { Avatar } from "./Avatar";
import { Badge } from "./Badges";
import { KickButton } from "./KickButton";

/** The lobby's list of members: host, ready and connection badges; kick controls. */
export function PlayerList({ view }: { view: View }) {
  const [error, setError] = useState<string | null>(null);
  const you = view.you;
  const players = view.members.filter((m) => m.role === "player");
  const spectators = view.members.filter((m) => m.role === "spectator");
  const canVote = you?.role === "player" && !you.isHost && players.length >= 3;

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
        <KickButton view={view} member={m} onError={setError} />
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
