import { useState } from "react";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import type { Member, View } from "../protocol";
import { ConfirmDialog } from "./ConfirmDialog";

/**
 * The host's "Remove", or a player's vote to remove someone (issue 15 item 6): both ask
 * first in the app's dialog; a vote already cast shows "Take back vote" instead. Counts
 * are never shown here: the server keeps them from the person voted on.
 */
export function KickButton({ view, member, voteLabel = "Vote to remove", onError }: { view: View; member: Member; voteLabel?: string; onError: (text: string | null) => void }) {
  const { api } = useGame();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const host = !!view.you?.isHost;
  const voted = !host && !!view.yourKickVotes?.includes(member.id);

  async function send(run: () => Promise<{ ok: boolean; error?: { code: string; message: string } }>) {
    onError(null);
    setBusy(true);
    const reply = await run();
    setBusy(false);
    if (!reply.ok && reply.error) onError(friendlyError(reply.error));
  }

  function confirm() {
    setAsking(false);
    void send(() => (host ? api.call("player:kick", { playerId: member.id }) : api.call("player:votekick", { playerId: member.id })));
  }

  if (voted) {
    return (
      <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={() => void send(() => api.call("player:unvotekick", { playerId: member.id }))}>
        Take back vote{" "}
        <span className="visually-hidden">to remove {member.name}</span>
      </button>
    );
  }
  return (
    <>
      <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={() => setAsking(true)}>
        {host ? "Remove" : voteLabel}{" "}
        <span className="visually-hidden">{member.name}</span>
      </button>
      {asking && (
        <ConfirmDialog
          title={host ? `Remove ${member.name}?` : `Vote to remove ${member.name}?`}
          confirmLabel={host ? "Remove" : "Vote to remove"}
          onConfirm={confirm}
          onCancel={() => setAsking(false)}
        >
          <p>
            {host
              ? `${member.name} leaves the room and cannot come back into this game from this browser.`
              : `${member.name} is removed once enough players vote. You can take your vote back until then.`}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
