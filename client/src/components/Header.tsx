import { useGame } from "../context";
import { useMuted } from "../hooks";
import { sounds } from "../lib/sound";
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
          <span className="room-chip" aria-label={`Room code ${state.view!.code.split("").join(" ")}`}>
            <span className="room-chip-label" aria-hidden="true">Room</span> <span aria-hidden="true">{state.view!.code}</span>
          </span>
        )}
        <span className="topbar-spacer" />
        <MuteButton />
        {inRoom && (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => {
              if (window.confirm("Leave this room? Your seat will be given up.")) void api.leave();
            }}
          >
            <Icon name="leave" size={18} /> <span className="hide-narrow">Leave</span>
          </button>
        )}
      </div>
    </header>
  );
}
