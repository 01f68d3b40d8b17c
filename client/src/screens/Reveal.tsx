import { Avatar } from "../components/Avatar";
import { GuessReason } from "../components/GuessReason";
import { TurnHeader } from "../components/TurnHeader";
import { SimilarityBar } from "../components/Warmth";
import type { Result, View } from "../protocol";

export function ResultsTable({ results, youId }: { results: Result[]; youId?: string }) {
  const sorted = [...results].sort((a, b) => b.points - a.points || b.similarity - a.similarity);
  if (!sorted.length) return <p className="muted">Nobody guessed this time.</p>;
  return (
    <table className="results">
      <caption className="visually-hidden">Everyone's best guess</caption>
      <thead>
        <tr>
          <th scope="col">Player</th>
          <th scope="col">Best guess</th>
          <th scope="col">Closeness</th>
          <th scope="col" className="num">
            Points
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={r.playerId} className={r.playerId === youId ? "is-you" : undefined}>
            <th scope="row">
              <span className="cell-player">
                <Avatar id={r.playerId} name={r.name} size="sm" />
                {r.name}
              </span>
            </th>
            <td className="cell-guess">
              {r.guess ? (
                <>
                  <span className="guess-text">“{r.guess}”</span>
                  <GuessReason reason={r.reason} />
                </>
              ) : (
                <span className="muted">no guess</span>
              )}
            </td>
            <td>
              <SimilarityBar value={r.similarity} />
            </td>
            <td className="num points">+{r.points}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Reveal({ view }: { view: View }) {
  const turn = view.turn!;
  const giver = view.members.find((m) => m.id === turn.giverId);
  const youGave = turn.giverId === view.you?.id;
  return (
    <div className="phase phase-reveal">
      <TurnHeader
        view={view}
        title={turn.skipped ? "This turn was skipped" : "The prompt was…"}
        timerLabel="Next up in"
        total={0}
        alert={false}
      />
      {turn.skipped && <p className="note">{giver?.name ?? "The prompt giver"} left before writing a prompt, so nobody scores this turn.</p>}
      {!turn.skipped && (
        <div className="reveal-layout">
          <figure className="art art-small">
            {turn.imageUrl && <img src={turn.imageUrl} alt={turn.prompt ?? "The turn's image"} className="art-img" />}
          </figure>
          <div className="reveal-side">
            <p className="reveal-prompt" data-testid="reveal-prompt">
              “{turn.prompt}”
            </p>
            {turn.autoPrompt ? (
              <p className="muted">Time ran out, so the prompt was picked for the writer: no points for them.</p>
            ) : (
              <p className="muted">
                {youGave ? "You" : (giver?.name ?? "The writer")} earned <strong className="points">+{turn.giverPoints ?? 0}</strong> as
                the prompt writer.
              </p>
            )}
            <ResultsTable results={turn.results ?? []} youId={view.you?.id} />
          </div>
        </div>
      )}
    </div>
  );
}
