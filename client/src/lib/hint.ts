// Hint blanks: one string per prompt word, "_" for a hidden letter.

export const HIDDEN = "_";

export function hintDescription(hint: string[]): string {
  if (!hint.length) return "";
  const words = hint.map((word, i) => {
    const letters = [...word];
    const count = letters.filter((ch) => /\p{L}/u.test(ch) || ch === HIDDEN).length;
    const shown = letters
      .map((ch, j) => (ch !== HIDDEN && /\p{L}/u.test(ch) ? `${ch} in place ${j + 1}` : null))
      .filter(Boolean);
    const base = `word ${i + 1}: ${count} letter${count === 1 ? "" : "s"}`;
    return shown.length ? `${base}, ${shown.join(", ")}` : base;
  });
  return `Hint: ${hint.length} word${hint.length === 1 ? "" : "s"}; ${words.join("; ")}.`;
}
