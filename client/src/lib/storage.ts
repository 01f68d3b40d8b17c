// What the browser remembers: the player's name, the mute switch, one seat token per room,
// and a random device key sent with every join (a player kicked from a room stays out of it).

const NAME_KEY = "imprompt.name";
const DEVICE_KEY = "imprompt.device";
const MUTE_KEY = "imprompt.muted";
const SEAT_PREFIX = "imprompt.seat.";
const SEAT_MAX_AGE_MS = 24 * 3600 * 1000;

export interface StoredSeat {
  code: string;
  token: string;
  playerId: string;
  savedAt: number;
}

function store(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked (private mode, policy): play without memory
  }
}

function read(key: string): string | null {
  try {
    return store()?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    const s = store();
    if (!s) return;
    if (value === null) s.removeItem(key);
    else s.setItem(key, value);
  } catch {
    /* full or blocked: not worth bothering the player */
  }
}

function randomKey(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const saved = {
  /** This browser's key; made on first use. Without storage, a fresh key each time. */
  device(): string {
    const known = read(DEVICE_KEY);
    if (known && /^[A-Za-z0-9_-]{16,64}$/.test(known)) return known;
    const key = randomKey();
    write(DEVICE_KEY, key);
    return key;
  },
  name(): string {
    return read(NAME_KEY) ?? "";
  },
  setName(name: string): void {
    write(NAME_KEY, name.trim() || null);
  },
  muted(): boolean {
    return read(MUTE_KEY) === "1";
  },
  setMuted(muted: boolean): void {
    write(MUTE_KEY, muted ? "1" : null);
  },
  seat(code: string): StoredSeat | null {
    const raw = read(SEAT_PREFIX + code);
    if (!raw) return null;
    try {
      const seat = JSON.parse(raw) as StoredSeat;
      if (typeof seat.token !== "string" || Date.now() - seat.savedAt > SEAT_MAX_AGE_MS) {
        write(SEAT_PREFIX + code, null);
        return null;
      }
      return seat;
    } catch {
      write(SEAT_PREFIX + code, null);
      return null;
    }
  },
  setSeat(seat: Omit<StoredSeat, "savedAt">): void {
    write(SEAT_PREFIX + seat.code, JSON.stringify({ ...seat, savedAt: Date.now() }));
    pruneSeats();
  },
  forgetSeat(code: string): void {
    write(SEAT_PREFIX + code, null);
  },
};

function pruneSeats(): void {
  const s = store();
  if (!s) return;
  try {
    for (let i = s.length - 1; i >= 0; i--) {
      const key = s.key(i);
      if (!key?.startsWith(SEAT_PREFIX)) continue;
      const raw = s.getItem(key);
      try {
        const seat = JSON.parse(raw ?? "") as StoredSeat;
        if (Date.now() - seat.savedAt > SEAT_MAX_AGE_MS) s.removeItem(key);
      } catch {
        s.removeItem(key);
      }
    }
  } catch {
    /* ignore */
  }
}
