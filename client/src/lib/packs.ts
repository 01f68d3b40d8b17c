// Prompt packs on the client (docs/packs.md): the finished game's export, and the
// server's pack_invalid message split back into one line per problem.
import type { AlbumEntry, PackSummary } from "../protocol";

export interface PackFile {
  name: string;
  language: string;
  prompts: string[];
}

/** A finished game's prompts as a pack file that `pack:import` takes back (repeats dropped). */
export function albumPack(album: AlbumEntry[], code: string, language = "en"): PackFile {
  const seen = new Set<string>();
  const prompts: string[] = [];
  for (const entry of album) {
    const key = entry.prompt.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    prompts.push(entry.prompt.trim());
  }
  return { name: `Game ${code}`.slice(0, 40), language, prompts };
}

export function packFileText(pack: PackFile): string {
  return JSON.stringify(pack, null, 2) + "\n";
}

/** "line 2: …; line 5: …" -> ["line 2: …", "line 5: …"]. */
export function packProblems(message: string): string[] {
  return message
    .split(/;\s+(?=line \d|prompts\[|and \d+ more|A pack|name:|language:|unknown field)/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** A pack's label in the settings: "Classroom (30 prompts)". */
export function packLabel(pack: PackSummary): string {
  return `${pack.name} (${pack.size} prompts)`;
}
