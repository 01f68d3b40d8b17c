"""Property-based tests: random games with random commands at random times.

Each example creates a room with random settings and drives it with a random mix of
sensible and nonsensical commands (players joining, leaving, dropping out, coming
back, kicking, chatting, prompting, guessing, image jobs finishing or failing late,
time passing in small steps or big jumps). After every step the invariants below
must hold. IMPROMPT_RULES_EXAMPLES raises the number of games (default 150).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imprompt.game import commands as c
from imprompt.game import effects as fx
from imprompt.game.rules import RulesEnv, apply, new_room, next_wakeup
from imprompt.game.state import GameSettings, Phase, RoomState, Timing
from imprompt.game.views import view_for

from .test_views import leaks

EXAMPLES = int(os.environ.get("IMPROMPT_RULES_EXAMPLES", "150"))
MAX_STEPS = 200
T0 = 1_800_000_000.0
TURN_PHASES = (Phase.PROMPTING, Phase.GENERATING, Phase.GUESSING, Phase.REVEAL)
NAMES = ["Ann", "Bob", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lu"]
_SCORED = re.compile(r"^s(\d+)x")


def score(prompt: str, guess: str) -> int:
    """Exact (ignoring case) is 100; "s<N>x..." scores N; anything else 0."""
    if guess.casefold() == prompt.casefold():
        return 100
    m = _SCORED.match(guess)
    return min(100, int(m.group(1))) if m else 0


ENV = RulesEnv(score=score)


def token(mid: str) -> str:
    return f"hash-{mid}"


@dataclass
class Tracker:
    """What the invariants need to remember between steps."""

    scores: dict[tuple[int, str], int] = field(default_factory=dict)  # (game, member) -> last score
    givers: dict[tuple[int, int], dict[int, str]] = field(default_factory=dict)  # (game, round) -> turn -> giver
    orders: dict[tuple[int, int], set[str]] = field(default_factory=dict)  # (game, round) -> that round's givers
    rounds_checked: int = 0
    games_finished: int = 0


class Driver:
    def __init__(self, data) -> None:
        self.data = data
        self.now = T0
        draw = data.draw
        game_settings = GameSettings(
            rounds=draw(st.integers(1, 3), label="rounds"),
            prompt_seconds=draw(st.sampled_from([15, 45, 120])),
            guess_seconds=draw(st.sampled_from([20, 60, 180])),
            max_words=draw(st.integers(1, 8)),
            max_players=draw(st.integers(2, 12)),
            hints=draw(st.booleans()),
            theme=draw(st.sampled_from(["mixed", "food", "space"])),
        )
        timing = Timing(
            seat_hold=draw(st.sampled_from([20.0, 120.0, 400.0])),
            generation_timeout=draw(st.sampled_from([5.0, 30.0])),
            reveal=draw(st.sampled_from([3.0, 8.0])),
            empty_room_ttl=draw(st.sampled_from([60.0, 300.0])),
            finished_room_ttl=draw(st.sampled_from([100.0, 1800.0])),
            max_spectators=draw(st.integers(0, 3)),
            max_guesses=draw(st.integers(1, 10)),
        )
        self.state = new_room("PRPTY2", draw(st.integers(0, 2**31)), T0, settings=game_settings, timing=timing)
        self.known: list[str] = []  # every member id ever used, including those gone
        self.sid_seq = 0
        self.jobs: list[tuple[int, int]] = []  # (turn, attempt) of every image job asked for
        self.counter = 0
        self.track = Tracker()
        for _ in range(draw(st.integers(1, 6), label="initial players")):
            self.run(self.join_cmd(spectator=False))

    # ------------------------------------------------------------ helpers
    def fresh(self) -> int:
        self.counter += 1
        return self.counter

    def new_sid(self) -> str:
        self.sid_seq += 1
        return f"sid{self.sid_seq}"

    def pick(self, items, label: str):
        items = list(items)
        return self.data.draw(st.sampled_from(items), label=label) if items else None

    def members(self) -> list[str]:
        return sorted(self.state.members, key=lambda mid: self.state.members[mid].seq)

    def any_id(self) -> str:
        return self.pick([*self.members(), *self.known[-3:], "ghost"], "member")

    def player(self) -> str:
        return self.pick([m.id for m in self.state.players()] or ["ghost"], "player")

    def join_cmd(self, spectator: bool | None = None) -> c.Join:
        mid = f"m{len(self.known)}"
        self.known.append(mid)
        name = self.pick(NAMES, "name")
        if self.data.draw(st.integers(0, 9)) == 0:
            name = name.upper()  # often taken, ignoring case
        if spectator is None:
            spectator = self.data.draw(st.integers(0, 3)) == 0
        return c.Join(mid, name, token(mid), self.new_sid(), spectator)

    def prompt_text(self) -> str:
        k = self.fresh()
        return self.pick(
            [f"quokka{k} zephyr", f"zq{k}vortex", "", "one two three four five six seven eight nine", "a shit show"],
            "prompt",
        )

    def guess_text(self) -> str:
        turn = self.state.turn
        k = self.fresh()
        options = [f"s{self.data.draw(st.integers(0, 100))}x{k}qq", f"nope{k}qq", ""]
        if turn and turn.prompt:
            options.append(turn.prompt.upper())
        return self.pick(options, "guess")

    # ------------------------------------------------------------ one random step
    def step(self) -> None:
        s = self.state
        roll = self.data.draw(st.integers(0, 99), label="action")
        if roll < 22:
            self.pass_time()
            self.run(c.Tick())
        elif roll < 30:
            # a command from a random member, whatever the phase
            self.run(self.random_command())
        elif s.phase in (Phase.LOBBY, Phase.FINISHED):
            self.lobby_step(roll)
        elif s.phase == Phase.PROMPTING:
            giver = s.turn.giver_id
            if roll < 45:
                self.run(c.RequestSuggestions(giver))
            elif roll < 80:
                self.run(c.SubmitPrompt(giver, self.prompt_text()))
            else:
                self.run(self.random_command())
        elif s.phase == Phase.GENERATING:
            if roll < 85 and self.jobs:
                turn, attempt = self.pick(self.jobs[-3:], "job")
                if self.data.draw(st.integers(0, 3)) == 0:
                    self.run(c.ImageFailed(turn, attempt, f"failed {turn}/{attempt}"))
                else:
                    self.run(c.ImageReady(turn, attempt, f"/images/t{turn}a{attempt}.svg", provider="test"))
            else:
                self.run(self.random_command())
        elif s.phase == Phase.GUESSING:
            if roll < 85:
                self.run(c.SubmitGuess(self.pick([*s.turn.guessers, self.player()], "guesser"), self.guess_text()))
            else:
                self.run(self.random_command())
        else:
            self.run(self.random_command())

    def lobby_step(self, roll: int) -> None:
        host = self.state.host_id or "ghost"
        if roll < 50:
            self.run(c.StartGame(host) if self.state.phase == Phase.LOBBY else c.NewGame(host))
        elif roll < 70:
            self.run(self.join_cmd())
        else:
            self.run(self.random_command())

    def pass_time(self) -> None:
        kind = self.data.draw(st.integers(0, 5), label="time")
        wake = next_wakeup(self.state)
        if kind <= 2 and wake is not None:
            self.now = max(self.now, wake + (0.0 if kind < 2 else -0.05))
        elif kind == 3:
            self.now += self.data.draw(st.integers(50, 500), label="jump")
        else:
            self.now += self.data.draw(st.integers(0, 100), label="dt") / 10

    def random_command(self) -> c.Command:
        kind = self.data.draw(st.integers(0, 24), label="command")
        if kind > 14:
            kind = 5 + kind % 10  # mostly harmless commands: members leaving now and then is enough
        mid = self.any_id()
        if kind == 0:
            return self.join_cmd()
        if kind == 1:
            return c.Leave(mid)
        if kind == 2:
            sids = [m.sid for m in self.state.members.values() if m.sid] + ["sid-unknown"]
            return c.Disconnect(self.pick(sids, "sid"))
        if kind == 3:
            return c.Resume(token(mid), self.new_sid())
        if kind == 4:
            field_, value = self.pick(
                [
                    ("rounds", 2),
                    ("rounds", 0),
                    ("guess_seconds", 25),
                    ("max_players", 2),
                    ("hints", False),
                    ("theme", "nope"),
                    ("max_words", 3),
                ],
                "setting",
            )
            return c.UpdateSettings(mid, {field_: value})
        if kind == 5:
            return c.SetReady(mid, self.data.draw(st.booleans()))
        if kind == 6:
            return c.StartGame(mid)
        if kind == 7:
            return c.NewGame(mid)
        if kind == 8:
            return c.RequestSuggestions(mid)
        if kind == 9:
            return c.SubmitPrompt(mid, self.prompt_text())
        if kind == 10:
            return c.SubmitGuess(mid, self.guess_text())
        if kind == 11:
            return c.Chat(mid, self.pick(["hi", "", "x" * 201, f"chat{self.fresh()}"], "chat"))
        if kind == 12:
            return c.Kick(mid, self.any_id())
        if kind == 13:
            return c.VoteKick(mid, self.any_id())
        turn, attempt = self.pick(self.jobs or [(1, 0)], "job")
        return c.ImageReady(turn, attempt, "/images/random.svg")

    # ------------------------------------------------------------ apply and check
    def run(self, cmd: c.Command) -> None:
        before = self.state
        dump = before.model_dump()
        out = apply(before, cmd, self.now, ENV)  # never raises
        assert before.model_dump() == dump, "apply mutated its input"
        if not out.ok:
            assert out.state is before and out.effects == [], cmd
            assert out.error.code and out.error.message
            return
        self.state = out.state
        self.jobs += [(e.turn, e.attempt) for e in out.effects if isinstance(e, fx.GenerateImage)]
        check_step(before, out.state, out, self.now, self.track)


def check_step(prev: RoomState, s: RoomState, out, now: float, track: Tracker) -> None:
    # the state is a value: JSON and back gives the same state
    assert RoomState.model_validate_json(s.model_dump_json()) == s
    # revisions only grow, and grow whenever somebody's view changed
    assert s.revision >= prev.revision
    if out.audience.anyone:
        assert s.revision == prev.revision + 1
    if s.closed:
        assert any(isinstance(e, fx.CloseRoom) for e in out.effects)
        return
    check_timers(prev, s, now)
    check_members(s)
    check_turn(s)
    check_scores(s, track)
    check_rounds(prev, s, track)
    check_views(s, now)


def check_timers(prev: RoomState, s: RoomState, now: float) -> None:
    # every due deadline was settled: what remains lies in the future
    assert s.deadline is None or s.deadline > now
    wake = next_wakeup(s)
    assert wake is None or wake > now
    if s.phase == Phase.LOBBY:
        assert s.deadline is None and s.paused_remaining is None
    elif s.phase == Phase.PROMPTING:
        assert (s.deadline is None) != (s.paused_remaining is None)
        assert s.paused_remaining is None or 0 < s.paused_remaining <= s.settings.prompt_seconds
        giver = s.members[s.turn.giver_id]
        assert (s.paused_remaining is not None) == (not giver.connected)
    else:
        assert s.deadline is not None and s.paused_remaining is None
    if s.phase == Phase.GUESSING:
        start = s.turn.guess_started_at
        assert start <= now and s.deadline == start + s.settings.guess_seconds
    if s.deadline is not None and (s.deadline != prev.deadline or s.phase != prev.phase):
        assert s.deadline > now  # set now, for later


def check_members(s: RoomState) -> None:
    assert (s.host_id is None) == (not s.members)
    assert s.host_id is None or s.host_id in s.members
    keys = [m.name.casefold() for m in s.members.values()]
    assert len(keys) == len(set(keys))
    assert all(1 <= len(m.name) <= 20 for m in s.members.values())
    seats = len(s.players()) + sum(m.joins_next_round for m in s.members.values())
    assert seats <= max(s.settings.max_players, 12)
    assert all(m.role == "spectator" for m in s.members.values() if m.joins_next_round)
    if s.phase in (Phase.LOBBY, Phase.FINISHED):
        assert not any(m.joins_next_round for m in s.members.values())
    sids = [m.sid for m in s.members.values() if m.sid]
    assert len(sids) == len(set(sids))
    assert all(m.connected == (m.sid is not None) for m in s.members.values())
    assert (s.empty_since is not None) == (not any(m.connected for m in s.members.values()))


def check_turn(s: RoomState) -> None:
    if s.phase == Phase.LOBBY:
        return
    turn = s.turn
    assert turn is not None
    if s.phase == Phase.FINISHED:
        return
    # exactly one prompt giver: the one the order names, a player, never a guesser
    assert s.order[s.turn_index] == turn.giver_id
    assert turn.round == s.round
    assert turn.giver_id not in turn.guessers
    giver = s.members.get(turn.giver_id)
    if s.phase in (Phase.PROMPTING, Phase.GENERATING):
        assert giver is not None
    assert giver is None or giver.role == "player"
    if s.phase == Phase.GUESSING:
        assert all(mid in s.members and s.members[mid].role == "player" for mid in turn.guessers)
    for g in turn.guessers.values():
        assert len(g.guesses) <= s.timing.max_guesses
        assert g.best == max((x.similarity for x in g.guesses), default=0)
        assert g.solved == (g.best >= 95)


def check_scores(s: RoomState, track: Tracker) -> None:
    """Within a game scores never go down; the lobby after a game starts everyone at 0."""
    if s.phase == Phase.LOBBY:
        assert all(m.score == 0 for m in s.members.values()), "the lobby shows old scores"
        return
    for m in s.members.values():
        key = (s.game, m.id)
        assert m.score >= track.scores.get(key, 0), "a score went down"
        track.scores[key] = m.score


def check_rounds(prev: RoomState, s: RoomState, track: Tracker) -> None:
    """Every player who stays for a whole round gives exactly one prompt in it."""
    if s.phase in TURN_PHASES:
        key = (s.game, s.round)
        track.orders[key] = set(s.order)
        turns = track.givers.setdefault(key, {})
        turns[s.turn.number] = s.turn.giver_id
        given = list(turns.values())
        assert len(given) == len(set(given)), "someone gave twice in a round"
    if prev.phase not in TURN_PHASES or prev.game != s.game:
        return
    done = (s.phase in TURN_PHASES and s.round > prev.round) or s.phase == Phase.FINISHED
    if not done:
        return
    key = (prev.game, prev.round)
    stayers = {mid for mid in track.orders[key] if mid in s.members}
    if s.phase == Phase.FINISHED and len(stayers) < 2:
        return  # the game ended early: too few players were left
    given = set(track.givers[key].values())
    assert stayers <= given, f"round {prev.round}: {sorted(stayers - given)} never gave a prompt"
    track.rounds_checked += 1
    if s.phase == Phase.FINISHED:
        track.games_finished += 1


def check_views(s: RoomState, now: float) -> None:
    for mid in s.members:
        view = view_for(s, mid, now)
        assert view["revision"] == s.revision
        leaked = leaks(s, mid, now)
        assert not leaked, f"{mid} can see {leaked} during {s.phase.value}"


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.data())
def test_random_games_keep_the_invariants(data):
    driver = Driver(data)
    for _ in range(data.draw(st.integers(10, MAX_STEPS), label="steps")):
        if driver.state.closed:
            break
        driver.step()


def test_random_games_reach_the_end():
    """The driver does not get stuck: many random games finish and whole rounds get checked."""
    finished, rounds = [], []

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def run(data):
        driver = Driver(data)
        for _ in range(MAX_STEPS):
            if driver.state.closed:
                break
            driver.step()
        finished.append(driver.track.games_finished)
        rounds.append(driver.track.rounds_checked)

    run()
    assert sum(finished) >= 5 and sum(rounds) >= 10, (sum(finished), sum(rounds))
