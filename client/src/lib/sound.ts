// Small synthesised sound effects (WebAudio): no audio files to download.
import { saved } from "./storage";

export type SoundName =
  | "turn"
  | "tick"
  | "cold"
  | "warm"
  | "hot"
  | "solved"
  | "otherSolved"
  | "image"
  | "reveal"
  | "finished"
  | "join"
  | "error";

interface Note {
  freq: number;
  at: number; // seconds after start
  length: number;
  type?: OscillatorType;
  gain?: number;
}

const NOTES: Record<SoundName, Note[]> = {
  turn: [
    { freq: 523, at: 0, length: 0.12 },
    { freq: 784, at: 0.12, length: 0.18 },
  ],
  tick: [{ freq: 1200, at: 0, length: 0.05, type: "square", gain: 0.04 }],
  cold: [{ freq: 220, at: 0, length: 0.18, type: "triangle" }],
  warm: [{ freq: 392, at: 0, length: 0.16, type: "triangle" }],
  hot: [
    { freq: 587, at: 0, length: 0.1, type: "triangle" },
    { freq: 698, at: 0.09, length: 0.14, type: "triangle" },
  ],
  solved: [
    { freq: 523, at: 0, length: 0.12 },
    { freq: 659, at: 0.1, length: 0.12 },
    { freq: 784, at: 0.2, length: 0.12 },
    { freq: 1047, at: 0.3, length: 0.3 },
  ],
  otherSolved: [{ freq: 880, at: 0, length: 0.09, gain: 0.06 }],
  image: [
    { freq: 440, at: 0, length: 0.1 },
    { freq: 660, at: 0.08, length: 0.16 },
  ],
  reveal: [
    { freq: 392, at: 0, length: 0.35, gain: 0.07 },
    { freq: 494, at: 0, length: 0.35, gain: 0.07 },
    { freq: 587, at: 0, length: 0.35, gain: 0.07 },
  ],
  finished: [
    { freq: 523, at: 0, length: 0.15 },
    { freq: 659, at: 0.15, length: 0.15 },
    { freq: 784, at: 0.3, length: 0.15 },
    { freq: 1047, at: 0.45, length: 0.45 },
  ],
  join: [{ freq: 660, at: 0, length: 0.08, gain: 0.06 }],
  error: [{ freq: 160, at: 0, length: 0.22, type: "sawtooth", gain: 0.05 }],
};

class Sounds {
  private ctx: AudioContext | null = null;
  private listeners = new Set<(muted: boolean) => void>();
  muted = saved.muted();

  /** Browsers only allow audio after a user gesture: call from one. */
  unlock(): void {
    if (this.muted) return;
    const ctx = this.context();
    if (ctx && ctx.state === "suspended") void ctx.resume().catch(() => undefined);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    saved.setMuted(muted);
    if (!muted) this.unlock();
    this.listeners.forEach((fn) => fn(muted));
  }

  subscribe(fn: (muted: boolean) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  play(name: SoundName): void {
    if (this.muted) return;
    const ctx = this.context();
    if (!ctx || ctx.state !== "running") return;
    const start = ctx.currentTime + 0.01;
    for (const note of NOTES[name]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = note.type ?? "sine";
      osc.frequency.value = note.freq;
      const peak = note.gain ?? 0.09;
      const t0 = start + note.at;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(peak, t0 + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + note.length);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + note.length + 0.02);
    }
  }

  private context(): AudioContext | null {
    if (this.ctx) return this.ctx;
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return null;
    try {
      this.ctx = new Ctor();
    } catch {
      return null;
    }
    return this.ctx;
  }
}

export const sounds = new Sounds();
