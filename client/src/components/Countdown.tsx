import { useEffect, useRef } from "react";
import { useGame } from "../context";
import { useCountdown } from "../hooks";
import { announce } from "../lib/announce";
import { formatSeconds } from "../lib/clock";
import { sounds } from "../lib/sound";

interface Props {
  deadline: number | null;
  total: number;
  label: string;
  paused?: boolean;
  pausedRemaining?: number | null;
  /** Announce the last seconds and tick through the last five. */
  alert?: boolean;
}

const WARN_AT = 10;

export function Countdown({ deadline, total, label, paused: roomPaused = false, pausedRemaining = null, alert = true }: Props) {
  // While the socket is down the server may be restarting, and its timers stop then:
  // hold the number where it was rather than count down to a time that no longer holds.
  const { state } = useGame();
  const offline = state.connection === "reconnecting" || state.connection === "restarting";
  const paused = roomPaused || offline;
  const seconds = useCountdown(deadline, roomPaused, pausedRemaining, offline);
  const previous = useRef<number | null>(null);
  // Without a known phase length (the reveal's is a server setting), the bar starts full.
  const longest = useRef<{ deadline: number | null; seconds: number }>({ deadline: null, seconds: 0 });
  if (seconds !== null && (longest.current.deadline !== deadline || seconds > longest.current.seconds)) {
    longest.current = { deadline, seconds: longest.current.deadline === deadline ? Math.max(seconds, longest.current.seconds) : seconds };
  }

  useEffect(() => {
    const before = previous.current;
    previous.current = seconds;
    if (!alert || seconds === null || before === null || paused || seconds >= before) return;
    if (before > WARN_AT && seconds <= WARN_AT) announce(`${seconds} seconds left.`, true);
    if (seconds <= 5 && seconds > 0) sounds.play("tick");
  }, [seconds, alert, paused]);

  if (seconds === null) return null;
  const urgent = alert && !paused && seconds <= WARN_AT;
  const span = total > 0 ? total : longest.current.seconds;
  const fraction = span > 0 ? Math.min(1, seconds / span) : 0;
  return (
    <div className={`countdown${urgent ? " urgent" : ""}${paused ? " paused" : ""}`} data-testid="countdown">
      <div className="countdown-row">
        <span className="countdown-label">{paused ? `${label} (paused)` : label}</span>
        <span className="countdown-number" role="timer" aria-label={`${label}: ${seconds} seconds${paused ? ", paused" : ""}`}>
          {formatSeconds(seconds)}
          {seconds < 60 && <span aria-hidden="true">s</span>}
        </span>
      </div>
      <div className="countdown-track" aria-hidden="true">
        <div className="countdown-fill" style={{ transform: `scaleX(${fraction})` }} />
      </div>
    </div>
  );
}
