// A coloured initial for a player: the colour comes from the id, so it stays put.
const HUES = [262, 330, 200, 150, 25, 285, 175, 5, 220, 95, 45, 310];

export function hueFor(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return HUES[h % HUES.length];
}

export function Avatar({ id, name, size = "md" }: { id: string; name: string; size?: "sm" | "md" | "lg" }) {
  const initial = [...name.trim()][0]?.toUpperCase() ?? "?";
  return (
    <span className={`avatar avatar-${size}`} style={{ "--hue": hueFor(id) } as React.CSSProperties} aria-hidden="true">
      {initial}
    </span>
  );
}
