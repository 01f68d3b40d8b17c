import type { Warmth } from "../protocol";

export const WARMTH_LABEL: Record<Warmth, string> = {
  cold: "Cold",
  warm: "Warm",
  hot: "Hot",
  "got it": "Got it!",
};

export function warmthClass(w: Warmth): string {
  return w === "got it" ? "gotit" : w;
}

export function WarmthBadge({ warmth }: { warmth: Warmth }) {
  return <span className={`warmth warmth-${warmthClass(warmth)}`}>{WARMTH_LABEL[warmth] ?? warmth}</span>;
}

/** The warmth band a similarity falls in (docs/protocol.md: Warmth). */
export function warmthOf(similarity: number): Warmth {
  if (similarity >= 95) return "got it";
  if (similarity >= 70) return "hot";
  if (similarity >= 40) return "warm";
  return "cold";
}

export function SimilarityBar({ value, label }: { value: number; label?: string }) {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <span className="similarity" title={label}>
      <span className="similarity-track" aria-hidden="true">
        <span className={`similarity-fill fill-${warmthClass(warmthOf(v))}`} style={{ width: `${v}%` }} />
      </span>
      <span className="similarity-number">{v}%</span>
    </span>
  );
}
