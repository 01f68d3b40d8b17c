// The ARIA live region's feed: anything may announce; the <Announcer> renders it.

export interface Announcement {
  id: number;
  text: string;
  urgent: boolean;
}

type Listener = (a: Announcement) => void;
const listeners = new Set<Listener>();
let next = 1;

export function announce(text: string, urgent = false): void {
  if (!text) return;
  const a = { id: next++, text, urgent };
  listeners.forEach((fn) => fn(a));
}

export function onAnnounce(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
