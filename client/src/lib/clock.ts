// Server clock estimate. Each view carries serverTime; at receipt the offset sample is
// serverTime - localNow, which is the true offset minus the message's travel time. The
// largest recent sample is the one that travelled fastest, so it is the best estimate,
// and it only moves when a better sample arrives: countdowns never wobble with jitter.

const WINDOW = 20; // samples kept
const JUMP = 2; // seconds: a sample this far from the estimate means a clock jump; start over

export class ClockSync {
  private samples: number[] = [];
  private estimate: number | null = null;

  constructor(private localNow: () => number = () => Date.now() / 1000) {}

  /** Record a server time seen now. Returns the current skew estimate (seconds). */
  sample(serverTime: number, receivedAt: number = this.localNow()): number {
    if (!Number.isFinite(serverTime)) return this.skew;
    const offset = serverTime - receivedAt;
    if (this.estimate !== null && Math.abs(offset - this.estimate) > JUMP) {
      this.samples = []; // someone changed a clock: older samples are meaningless
    }
    this.samples.push(offset);
    if (this.samples.length > WINDOW) this.samples.shift();
    this.estimate = Math.max(...this.samples);
    return this.estimate;
  }

  /** Seconds to add to the local clock to get the server's clock. */
  get skew(): number {
    return this.estimate ?? 0;
  }

  /** The server's time now, in seconds since the epoch. */
  now(): number {
    return this.localNow() + this.skew;
  }

  /** Seconds left until a server deadline, never negative. */
  remaining(deadline: number): number {
    return Math.max(0, deadline - this.now());
  }
}

/** The seconds a countdown shows: whole seconds, rounded up, never below zero. */
export function displaySeconds(remaining: number): number {
  return Math.max(0, Math.ceil(remaining - 1e-6));
}

/**
 * Keeps a countdown steady: for one deadline the shown number never goes back up
 * (a better skew estimate may move it down by a moment, never up), so it cannot flicker.
 */
export function steadySeconds(previous: { deadline: number; shown: number } | null, deadline: number, seconds: number): number {
  if (previous && previous.deadline === deadline && seconds > previous.shown) return previous.shown;
  return seconds;
}

export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.round(total));
  if (s < 60) return String(s);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, "0")}`;
}

export const clock = new ClockSync();
