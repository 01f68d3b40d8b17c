// The addresses the server serves the client at: /, /r/<CODE> and /r/<CODE>/tv (the big screen).
import { normalizeCode } from "../protocol";

export function codeFromPath(pathname: string): string | null {
  const match = /^\/r\/([A-Za-z0-9]{1,16})\/?$/.exec(pathname);
  return match ? normalizeCode(match[1]) : null;
}

/** The room a big screen (a TV) shows, from /r/<CODE>/tv. */
export function tvCodeFromPath(pathname: string): string | null {
  const match = /^\/r\/([A-Za-z0-9]{1,16})\/tv\/?$/.exec(pathname);
  return match ? normalizeCode(match[1]) : null;
}

export function tvPath(code: string): string {
  return `${roomPath(code)}/tv`;
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
