import { useId, useState, type ChangeEvent, type FormEvent } from "react";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import { packProblems } from "../lib/packs";
import { MAX_PACK_TEXT, type PackSummary } from "../protocol";

/** What fits in one socket message (16 KiB by default) with the event around it. */
const MAX_PACK_BYTES = 15_000;

/**
 * The host's own prompts: paste a list (one prompt per line) or open a pack file (.txt, or
 * the .json format of docs/packs.md). The server checks every line as a typed prompt and
 * answers with the lines to fix; on success the list becomes the room's pack.
 */
export function PackImport({ customPack }: { customPack?: PackSummary | null }) {
  const { api } = useGame();
  const [text, setText] = useState("");
  const [name, setName] = useState("");
  const [problems, setProblems] = useState<string[]>([]);
  const [done, setDone] = useState<PackSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false); // the host's choice, never closed under them by a new view
  const ids = { text: useId(), name: useId(), file: useId(), problems: useId() };

  async function openFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setProblems([]);
    setDone(null);
    if (file.size > MAX_PACK_TEXT * 4) {
      setProblems([`That file is too big: a pack is at most ${MAX_PACK_TEXT.toLocaleString("en")} characters.`]);
      return;
    }
    setText(await file.text());
    if (!name) setName(file.name.replace(/\.(txt|json)$/i, "").slice(0, 40));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblems([]);
    setDone(null);
    if (!text.trim()) {
      setProblems(["Paste some prompts first, one per line."]);
      return;
    }
    const bytes = new TextEncoder().encode(text).length;
    if (bytes > MAX_PACK_BYTES) {
      // the server's socket drops a message over 16 KiB without an answer: say so here
      setProblems([`This pack is too big to send (${Math.ceil(bytes / 1024)} KB, at most ${MAX_PACK_BYTES / 1000} KB): split it in two.`]);
      return;
    }
    setBusy(true);
    const reply = await api.call("pack:import", name.trim() ? { text, name: name.trim() } : { text });
    setBusy(false);
    if (reply.ok) {
      setDone(reply);
      setText("");
    } else {
      setProblems(reply.error.code === "pack_invalid" ? packProblems(reply.error.message) : [friendlyError(reply.error)]);
    }
  }

  return (
    <details className="pack-import" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Your own prompts{" "}
        <span className="muted small">{customPack ? `${customPack.name}: ${customPack.size} prompts` : "paste a list or open a pack file"}</span>
      </summary>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.text}>Paste a list, one prompt per line</label>
          <textarea
            id={ids.text}
            className="input pack-text"
            rows={5}
            value={text}
            maxLength={MAX_PACK_TEXT}
            placeholder={"a cat on a bus\na dog in a hat\npizza party"}
            aria-invalid={problems.length > 0}
            aria-describedby={problems.length ? ids.problems : undefined}
            onChange={(e) => {
              setText(e.target.value);
              setProblems([]);
            }}
          />
        </div>
        <div className="pack-row">
          <div className="field">
            <label htmlFor={ids.name}>Pack name</label>
            <input id={ids.name} className="input" value={name} maxLength={40} placeholder="My pack" onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.file}>Or open a pack file</label>
            <input id={ids.file} className="input" type="file" accept=".txt,.json,text/plain,application/json" onChange={(e) => void openFile(e)} />
          </div>
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Use these prompts
        </button>
        {problems.length > 0 && (
          <div className="field-error pack-problems" role="alert" id={ids.problems}>
            <p>Fix these lines, then try again:</p>
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
        {done && (
          <p className="note" role="status">
            “{done.name}” is now the room’s pack: {done.size} prompts.
          </p>
        )}
      </form>
    </details>
  );
}
