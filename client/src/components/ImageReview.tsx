import { useState } from "react";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import type { Review, View } from "../protocol";
import { TurnHeader } from "./TurnHeader";

/**
 * The writer's look at the picture(s) before anyone guesses; the others still see
 * "drawing…". One picture: use it, or ask once for a new one (or reject it because it
 * gives the answer away, which counts as that one). Several: tap the one to use.
 */
export function ImageReview({ view, review }: { view: View; review: Review }) {
  const { api } = useGame();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const many = review.imageUrls.length > 1;
  const prompt = view.turn?.prompt;

  async function send(action: () => Promise<{ ok: boolean; error?: { code: string; message: string } }>) {
    setBusy(true);
    setError(null);
    const reply = await action();
    setBusy(false);
    if (!reply.ok && reply.error) setError(friendlyError(reply.error));
  }
  const pick = (index: number) => send(() => api.call("image:pick", { index }));
  const regenerate = (reject: boolean) => send(() => api.call("image:regenerate", reject ? { reject } : {}));

  return (
    <div className="phase phase-review">
      <TurnHeader view={view} title={many ? "Pick the picture" : "Check your picture"} timerLabel="Time to choose" alert={false} />
      <p className="muted review-note">
        {prompt && (
          <>
            Drawn from <q>{prompt}</q>.{" "}
          </>
        )}
        Only you see {many ? "these" : "this"}: the others see it being drawn. When the time runs out {many ? "the first one" : "it"} is used.
      </p>
      <ul className={`review-grid${many ? " review-many" : ""}`} aria-label="Pictures to choose from">
        {review.imageUrls.map((url, i) => (
          <li key={url}>
            <button type="button" className="review-pick" disabled={busy} onClick={() => void pick(i)} data-testid="review-pick">
              <img src={url} alt={`Picture ${i + 1} of ${review.imageUrls.length}`} className="art-img" />
              <span className="btn btn-primary btn-small">{many ? `Use picture ${i + 1}` : "Use this picture"}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="review-actions">
        {review.canRegenerate ? (
          <>
            <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void regenerate(false)}>
              Draw {many ? "new ones" : "a new one"}
            </button>
            <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => void regenerate(true)}>
              It gives the answer away
            </button>
            <p className="muted small">You can ask for new pictures once this turn.</p>
          </>
        ) : (
          <p className="muted small">{many ? "Pick the one the others will guess." : "The others will guess this picture."}</p>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
