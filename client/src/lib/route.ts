// The two addresses the server serves the client at: / and /r/<CODE>.
import { normalizeCode } from "../protocol";

export function codeFromPath(pathname: string): string | null {
  const match = /^\/r\/([A-Za-z0-9]{1,16})\/?$/.exec(pathname);
  return match ? normalizeCode(match[1]) : null;
}

export function roomPath(code: string): string {
  return `/r/${encodeURIComponent(code)}`;
}

export function roomLink(code: string): string {
  return `${window.location.origin}${roomPath(code)}`;
}

export function setPath(path: string): void {
  if (window.location.pathname === path) return;
  try {
    window.history.replaceState(null, "", path);
  } catch {
    /* sandboxed frames may refuse: the address is a convenience */
  }
}
