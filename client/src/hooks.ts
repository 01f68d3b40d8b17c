import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { announce } from "./lib/announce";
import { describeChange } from "./lib/changes";
import { clock, displaySeconds, steadySeconds } from "./lib/clock";
import { sounds } from "./lib/sound";
import type { View } from "./protocol";

const TICK_MS = 250;

/**
 * Whole seconds left until a server deadline, re-rendering only when the number changes.
 * Paused phases show pausedRemaining and stand still. null when there is no deadline.
 * `frozen` (the socket is down, so the server's timers may not be running) holds the
 * last number shown until it is false again.
 */
export function useCountdown(
  deadline: number | null,
  paused = false,
  pausedRemaining: number | null = null,
  frozen = false,
): number | null {
  const last = useRef<{ deadline: number; shown: number } | null>(null);
  const compute = (): number | null => {
    if (paused && pausedRemaining !== null) return displaySeconds(pausedRemaining);
    if (deadline === null) return null;
    if (frozen && last.current?.deadline === deadline) return last.current.shown;
    const shown = steadySeconds(last.current, deadline, displaySeconds(clock.remaining(deadline)));
    last.current = { deadline, shown };
    return shown;
  };
  const [seconds, setSeconds] = useState<number | null>(compute);
  useEffect(() => {
    setSeconds(compute());
    if (deadline === null || paused || frozen) return;
    const timer = window.setInterval(() => setSeconds(compute()), TICK_MS);
    return () => window.clearInterval(timer);
  }, [deadline, paused, pausedRemaining, frozen]);
  return seconds;
}

function subscribeReducedMotion(fn: () => void): () => void {
  const mq = window.matchMedia?.("(prefers-reduced-motion: reduce)");
  mq?.addEventListener?.("change", fn);
  return () => mq?.removeEventListener?.("change", fn);
}

export function useReducedMotion(): boolean {
  return useSyncExternalStore(
    subscribeReducedMotion,
    () => window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false,
    () => false,
  );
}

export function useMuted(): [boolean, (muted: boolean) => void] {
  const muted = useSyncExternalStore(
    (fn) => sounds.subscribe(fn),
    () => sounds.muted,
    () => sounds.muted,
  );
  return [muted, (m: boolean) => sounds.setMuted(m)];
}

/** Announce and sound what changed between one view and the next. */
export function useViewChanges(view: View | null): void {
  const prev = useRef<View | null>(null);
  useEffect(() => {
    if (!view) {
      prev.current = null;
      return;
    }
    if (prev.current === view) return;
    const change = describeChange(prev.current, view);
    prev.current = view;
    change.say.forEach((text) => announce(text));
    // One sound at a time is plenty.
    if (change.sounds.length) sounds.play(change.sounds[change.sounds.length - 1]);
  }, [view]);
}

/** A number that counts to its new value (instantly when motion is reduced). */
export function useAnimatedNumber(value: number, ms = 900): number {
  const reduced = useReducedMotion();
  const [shown, setShown] = useState(value);
  const from = useRef(value);
  useEffect(() => {
    if (reduced || typeof requestAnimationFrame !== "function") {
      from.current = value;
      setShown(value);
      return;
    }
    const start = performance.now();
    const origin = from.current;
    let frame = 0;
    const step = (now: number) => {
      const t = Math.min(1, (now - start) / ms);
      const eased = 1 - Math.pow(1 - t, 3);
      const current = Math.round(origin + (value - origin) * eased);
      setShown(current);
      from.current = current;
      if (t < 1) frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [value, reduced, ms]);
  return shown;
}
