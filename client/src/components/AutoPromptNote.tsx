import { autoPromptText } from "../lib/changes";
import { Icon } from "./Icon";

/** To the prompt giver, from the moment the timer chose their prompt (turn.autoPrompt). */
export function AutoPromptNote({ prompt }: { prompt: string | null }) {
  return (
    <p className="note note-warn auto-prompt" data-testid="auto-prompt">
      <Icon name="clock" size={18} /> {autoPromptText(prompt)}
    </p>
  );
}
