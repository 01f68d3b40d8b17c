import type { ReactNode } from "react";
import type { View } from "../protocol";
import { Countdown } from "./Countdown";

interface Props {
  view: View;
  title: ReactNode;
  timerLabel?: string;
  total?: number;
  alert?: boolean;
}

export function TurnHeader({ view, title, timerLabel, total = 0, alert = true }: Props) {
  const turn = view.turn;
  return (
    <div className="turn-header">
      <div className="turn-heading">
        {turn && (
          <p className="eyebrow">
            Round {turn.round} of {view.rounds} · Turn {turn.number}
          </p>
        )}
        <h1 className="stage-title" id="stage-title" tabIndex={-1}>
          {title}
        </h1>
      </div>
      {timerLabel && (
        <Countdown
          deadline={view.deadline}
          total={total}
          label={timerLabel}
          paused={view.paused}
          pausedRemaining={view.pausedRemaining}
          alert={alert}
        />
      )}
    </div>
  );
}
