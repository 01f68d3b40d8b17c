import { AutoPromptNote } from "../components/AutoPromptNote";
import { ImageReview } from "../components/ImageReview";
import { TurnHeader } from "../components/TurnHeader";
import type { View } from "../protocol";

export function Generating({ view }: { view: View }) {
  const turn = view.turn!;
  const isGiver = turn.giverId === view.you?.id;
  const giver = view.members.find((m) => m.id === turn.giverId);
  if (isGiver && turn.review) return <ImageReview view={view} review={turn.review} />;
  return (
    <div className="phase phase-generating">
      <TurnHeader view={view} title="The image is on its way" />
      {isGiver && turn.autoPrompt && <AutoPromptNote prompt={turn.prompt} />}
      <div className="card generating" aria-busy="true">
        <div className="canvas-anim" aria-hidden="true">
          <span className="blob b1" />
          <span className="blob b2" />
          <span className="blob b3" />
          <span className="brush" />
        </div>
        {isGiver ? (
          <p className="waiting-text">
            Drawing <q>{turn.prompt}</q>…
          </p>
        ) : (
          <p className="waiting-text">Drawing {giver ? `${giver.name}'s` : "the"} prompt…</p>
        )}
        <p className="muted">
          {turn.builtin ? "The built-in generator is on it. " : "This takes a few seconds. "}
          {isGiver ? "The others guess as soon as it is ready." : "Warm up your guessing brain!"}
        </p>
        <div className="indeterminate" aria-hidden="true">
          <span />
        </div>
      </div>
    </div>
  );
}
