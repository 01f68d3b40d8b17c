import { useState } from "react";
import { useGame } from "../context";
import { useMuted } from "../hooks";
import { sounds } from "../lib/sound";
import { ConnectionBanner } from "./Banners";
import { ConfirmDialog } from "./ConfirmDialog";
import { Icon } from "./Icon";

export function MuteButton() {
  const [muted, setMuted] = useMuted();
  return (
    <button
      type="button"
      className="btn-icon"
      aria-pressed={!muted}
      aria-label="Sound effects"
      title={muted ? "Sound is off" : "Sound is on"}
      onClick={() => {
        setMuted(!muted);
        if (muted) sounds.play("join");
      }}
    >
      <Icon name={muted ? "soundOff" : "soundOn"} />
    </button>
  );
}

export function Header() {
  const { state, api } = useGame();
  const inRoom = state.stage === "room" && state.view;
  const [leaving, setLeaving] = useState(false);
  return (
    <header className="topbar">
      <div className="topbar-inner">
        {inRoom ? (
          <span className="brand">
            imprompt<span className="brand-dot">.</span>
          </span>
        ) : (
          <a className="brand" href="/">
            imprompt<span className="brand-dot">.</span>
          </a>
        )}
        {inRoom && (
          <span className="room-chip">
            <span className="room-chip-label" aria-hidden="true">Room</span> <span aria-hidden="true">{state.view!.code}</span>
            <span className="visually-hidden">Room code {state.view!.code.split("").join(" ")}</span>
          </span>
        )}
        <span className="topbar-spacer" />
        <MuteButton />
        {inRoom && (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            aria-haspopup="dialog"
            onClick={() => setLeaving(true)}
          >
            <Icon name="leave" size={18} /> <span className="hide-narrow">Leave</span>
          </button>
        )}
        {inRoom && leaving && (
          <ConfirmDialog
            title="Leave this room?"
            confirmLabel="Leave the room"
            cancelLabel="Stay"
            onCancel={() => setLeaving(false)}
            onConfirm={() => {
              setLeaving(false);
              void api.leave();
            }}
          >
            <p>Your seat and your score will be given up.</p>
          </ConfirmDialog>
        )}
      </div>
      {/* In the sticky header, so it stays in sight however far down the page is scrolled. */}
      <ConnectionBanner />
    </header>
  );
}
