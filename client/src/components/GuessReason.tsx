/**
 * Why a best guess scored what it did ("hog ≈ pig, shades ≈ sunglasses"), from the
 * server's explainer (`results[].reason`, album `bestGuesses[].reason`). It names prompt
 * words, so the server sends it from the reveal on only. The symbols are read out as
 * words: a screen reader says "hog is close to pig", not "hog almost equal to pig".
 */
const SPOKEN: Record<string, string> = { "≈": "is close to", "=": "means" };
const NBSP = "\u00a0"; // "shades ≈ sunglasses" wraps as one piece

export function GuessReason({ reason, className }: { reason?: string | null; className?: string }) {
  if (!reason) return null;
  const pieces = reason.split(/(\s[≈=]\s)/);
  return (
    <span className={["guess-reason", className].filter(Boolean).join(" ")} data-testid="guess-reason">
      <span className="guess-reason-label">Why:</span>{" "}
      {pieces.map((piece, i) => {
        const symbol = piece.trim();
        if (i % 2 === 1 && SPOKEN[symbol]) {
          return (
            <span key={i}>
              {NBSP}
              <span aria-hidden="true">{symbol}</span>
              <span className="visually-hidden">{SPOKEN[symbol]}</span>
              {NBSP}
            </span>
          );
        }
        return <span key={i}>{piece}</span>;
      })}
    </span>
  );
}
