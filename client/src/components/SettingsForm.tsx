import { useEffect, useId, useState } from "react";
import { useGame } from "../context";
import { friendlyError } from "../errors";
import { CUSTOM_PACK, IMAGE_STYLES, SETTING_BOUNDS, type ImageStyle, type PackSummary, type Settings } from "../protocol";

type NumberKey = keyof typeof SETTING_BOUNDS;

const NUMBER_FIELDS: { key: NumberKey; label: string; options: number[]; unit?: string }[] = [
  { key: "rounds", label: "Rounds", options: range(1, 10, 1) },
  { key: "promptSeconds", label: "Time to write", options: [15, 20, 30, 45, 60, 90, 120], unit: "s" },
  { key: "guessSeconds", label: "Time to guess", options: [20, 30, 45, 60, 90, 120, 180], unit: "s" },
  { key: "maxWords", label: "Words per prompt", options: range(1, 8, 1) },
  { key: "maxPlayers", label: "Players at most", options: range(2, 12, 1) },
  { key: "imageChoices", label: "Pictures to choose from", options: range(1, 4, 1) },
];

const STYLE_LABELS: Record<ImageStyle, string> = {
  none: "No style",
  cartoon: "Cartoon",
  watercolor: "Watercolor",
  pixel: "Pixel art",
  photo: "Photo",
  clay: "Clay",
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n += step) out.push(n);
  return out;
}

function withCurrent(options: number[], value: number): number[] {
  return options.includes(value) ? options : [...options, value].sort((a, b) => a - b);
}

let themeCache: Promise<string[]> | null = null;

export function loadThemes(): Promise<string[]> {
  themeCache ??= fetch("/api/themes")
    .then((r) => (r.ok ? r.json() : { themes: [] }))
    .then((data: { themes?: unknown }) => (Array.isArray(data.themes) ? data.themes.filter((t): t is string => typeof t === "string") : []))
    .catch(() => {
      themeCache = null;
      return [];
    });
  return themeCache;
}

export function themeLabel(theme: string): string {
  return theme.charAt(0).toUpperCase() + theme.slice(1);
}

/** The packs a host can choose: the built-in themes and the operator's (`packs:list`). */
function useServerPacks(editable: boolean): PackSummary[] {
  const { api } = useGame();
  const [packs, setPacks] = useState<PackSummary[]>([]);
  useEffect(() => {
    if (!editable) return;
    let live = true;
    void api.call("packs:list", {}).then(async (reply) => {
      if (!live) return;
      if (reply.ok && Array.isArray(reply.packs)) setPacks(reply.packs);
      else {
        const themes = await loadThemes(); // an older server: the built-in theme names only
        if (live) setPacks(themes.map((t) => ({ id: t, name: themeLabel(t), language: "en", size: 0 })));
      }
    });
    return () => {
      live = false;
    };
  }, [editable, api]);
  return packs;
}

/** What a pack id reads as: the room's own pack by its name, a built-in theme capitalised. */
export function packName(theme: string, customPack?: PackSummary | null, packs: PackSummary[] = []): string {
  if (theme === CUSTOM_PACK && customPack) return `${customPack.name} (room's own)`;
  return packs.find((p) => p.id === theme)?.name ?? themeLabel(theme);
}

function describe(key: keyof Settings, value: Settings[keyof Settings]): string {
  if (key === "hints" || key === "packOnly" || key === "imageReview") return value ? "On" : "Off";
  if (key === "imageStyle") return STYLE_LABELS[value as ImageStyle] ?? String(value);
  if (key === "theme") return themeLabel(String(value));
  if (key === "promptSeconds" || key === "guessSeconds") return `${value} s`;
  return String(value);
}

export function SettingsForm({
  settings,
  editable,
  customPack = null,
}: {
  settings: Settings;
  editable: boolean;
  customPack?: PackSummary | null;
}) {
  const { api } = useGame();
  const serverPacks = useServerPacks(editable);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Partial<Settings>>({});
  const baseId = useId();

  // Once the server's view shows a change, the pending value is no longer needed.
  useEffect(() => setPending({}), [settings]);

  async function change(patch: Partial<Settings>) {
    setError(null);
    setPending((p) => ({ ...p, ...patch }));
    const reply = await api.call("room:settings", patch);
    if (!reply.ok) {
      setPending({});
      setError(friendlyError(reply.error));
    }
  }

  const current = { ...settings, ...pending };

  if (!editable) {
    return (
      <dl className="settings-list">
        {NUMBER_FIELDS.map((f) => (
          <div key={f.key}>
            <dt>{f.label}</dt>
            <dd>{describe(f.key, settings[f.key])}</dd>
          </div>
        ))}
        <div>
          <dt>Hints</dt>
          <dd>{describe("hints", settings.hints)}</dd>
        </div>
        <div>
          <dt>Prompt pack</dt>
          <dd>{packName(settings.theme, customPack)}</dd>
        </div>
        <div>
          <dt>Pack only</dt>
          <dd>{describe("packOnly", settings.packOnly)}</dd>
        </div>
        <div>
          <dt>AI picture style</dt>
          <dd>{describe("imageStyle", settings.imageStyle)}</dd>
        </div>
        <div>
          <dt>Writer checks the picture</dt>
          <dd>{describe("imageReview", settings.imageReview || settings.imageChoices > 1)}</dd>
        </div>
      </dl>
    );
  }

  const packOptions: PackSummary[] = [
    ...(customPack ? [{ ...customPack, name: packName(CUSTOM_PACK, customPack) }] : []),
    ...serverPacks,
  ];
  if (!packOptions.some((p) => p.id === current.theme)) packOptions.unshift({ id: current.theme, name: packName(current.theme), language: "en", size: 0 });
  return (
    <div className="settings-form">
      {NUMBER_FIELDS.map((f) => (
        <div className="field field-inline" key={f.key}>
          <label htmlFor={`${baseId}-${f.key}`}>{f.label}</label>
          <select
            id={`${baseId}-${f.key}`}
            className="select"
            value={current[f.key]}
            onChange={(e) => void change({ [f.key]: Number(e.target.value) })}
          >
            {withCurrent(f.options, current[f.key]).map((n) => (
              <option key={n} value={n}>
                {f.unit ? `${n} ${f.unit}` : n}
              </option>
            ))}
          </select>
        </div>
      ))}
      <div className="field field-inline">
        <label htmlFor={`${baseId}-theme`}>Prompt pack</label>
        <select id={`${baseId}-theme`} className="select" value={current.theme} onChange={(e) => void change({ theme: e.target.value })}>
          {packOptions.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor={`${baseId}-style`}>AI picture style</label>
        <select
          id={`${baseId}-style`}
          className="select"
          value={current.imageStyle}
          onChange={(e) => void change({ imageStyle: e.target.value as ImageStyle })}
        >
          {IMAGE_STYLES.map((s) => (
            <option key={s} value={s}>
              {STYLE_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={current.imageReview || current.imageChoices > 1}
          disabled={current.imageChoices > 1}
          onChange={(e) => void change({ imageReview: e.target.checked })}
        />
        <span>The writer checks the picture first and may ask for a new one</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={current.packOnly} onChange={(e) => void change({ packOnly: e.target.checked })} />
        <span>Pack only: the writer picks one of three prompts from the pack</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={current.hints} onChange={(e) => void change({ hints: e.target.checked })} />
        <span>Letter hints while guessing</span>
      </label>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
