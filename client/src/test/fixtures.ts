// Sample views shaped like the server's (docs/protocol.md), for component tests.
import type { Member, Settings, Turn, View } from "../protocol";
import { DEFAULT_SETTINGS } from "../protocol";

export const ANN = "p_ann";
export const BOB = "p_bob";
export const CY = "p_cy";

export function member(id: string, name: string, extra: Partial<Member> = {}): Member {
  return { id, name, role: "player", score: 0, connected: true, ready: false, isHost: id === ANN, joinsNextRound: false, ...extra };
}

export function turn(extra: Partial<Turn> = {}): Turn {
  return {
    number: 1,
    round: 1,
    giverId: BOB,
    prompt: null,
    autoPrompt: null,
    failures: 0,
    failureReason: null,
    builtin: false,
    imageUrl: null,
    imageProvider: null,
    guessStartedAt: null,
    solvedIds: [],
    guesserIds: [ANN, CY],
    skipped: false,
    ...extra,
  };
}

export function view(extra: Partial<View> = {}, settings: Partial<Settings> = {}): View {
  const members = extra.members ?? [member(ANN, "Ann"), member(BOB, "Bob"), member(CY, "Cy")];
  const youId = extra.you?.id ?? ANN;
  const me = members.find((m) => m.id === youId)!;
  return {
    protocol: 1,
    code: "K7QX2M",
    revision: 1,
    serverTime: 1_764_100_000,
    phase: "lobby",
    game: 0,
    hostId: ANN,
    you: { id: me.id, name: me.name, role: me.role, isHost: me.isHost, score: me.score, joinsNextRound: me.joinsNextRound },
    settings: { ...DEFAULT_SETTINGS, ...settings },
    members,
    round: 0,
    rounds: settings.rounds ?? DEFAULT_SETTINGS.rounds,
    deadline: null,
    paused: false,
    pausedRemaining: null,
    turn: null,
    kickVotes: {},
    album: [],
    standings: null,
    canStart: true,
    closed: false,
    ...extra,
  };
}
