"""The pure game rules: `rules.apply(state, command, now, env)`.

Every command goes through `Game.apply`, which checks on each step that the input
state was not mutated, that a rejection returns the very same state, and that the
resulting state round-trips through JSON exactly.
"""

from __future__ import annotations

import pytest

from imprompt.game import commands as c
from imprompt.game import effects as fx
from imprompt.game import replies as r
from imprompt.game.content_filter import ContentFilter
from imprompt.game.rules import (
    CHAT_TAIL,
    EVERYONE,
    NOBODY,
    Audience,
    Outcome,
    Rejected,
    RulesEnv,
    apply,
    new_room,
    next_wakeup,
)
from imprompt.game.scoring import giver_points, guesser_points
from imprompt.game.standings import standings
from imprompt.game.state import GameSettings, Phase, RoomState, Timing
from imprompt.game.suggestions import THEMES
from imprompt.similarity import similarity

# ---------------------------------------------------------------- helpers

T0 = 1_700_000_000.0
CODE = "K7QX2M"
NAMES = ["Ann", "Bob", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lu", "Mo", "Ned"]

# The fake scorer: an exact guess (ignoring case) scores 100, these guesses score their
# table value whatever the prompt, anything else 0.
GUESS_SCORES = {"near miss": 95, "almost": 94, "hot guess": 75, "warm guess": 55, "cold guess": 30, "far off": 5}


def table_score(prompt: str, guess: str) -> int:
    if guess.casefold() == prompt.casefold():
        return 100
    return GUESS_SCORES.get(guess.casefold(), 0)


ENV = RulesEnv(score=table_score)
REAL_ENV = RulesEnv(score=similarity)


def token(member_id: str) -> str:
    return f"hash-of-{member_id}"


def of_type(out: Outcome, kind: type) -> list:
    return [e for e in out.effects if isinstance(e, kind)]


class Game:
    """A room driven through `apply` with a controllable clock.

    Members get ids from their names ("Ann" -> "ann"), token hashes "hash-of-ann"
    and sockets "sid-ann".
    """

    def __init__(
        self,
        players: int = 3,
        *,
        spectators: int = 0,
        settings: dict | None = None,
        timing: dict | None = None,
        env: RulesEnv = ENV,
        seed: int = 7,
    ) -> None:
        self.env = env
        self.now = T0
        self.state = new_room(
            CODE, seed, T0, settings=GameSettings(**(settings or {})), timing=Timing(**(timing or {}))
        )
        self.last: Outcome | None = None
        for name in NAMES[:players]:
            self.join(name)
        for i in range(spectators):
            self.join(f"Watcher{i}", spectator=True)

    # -- applying commands
    def apply(self, cmd: c.Command) -> Outcome:
        before = self.state.model_dump()
        out = apply(self.state, cmd, self.now, self.env)
        assert self.state.model_dump() == before, "apply mutated its input"
        if out.ok:
            assert out.state.revision >= self.state.revision
            assert RoomState.model_validate_json(out.state.model_dump_json()) == out.state
        else:
            assert out.state is self.state
        self.last = out
        self.state = out.state
        return out

    def do(self, cmd: c.Command) -> Outcome:
        out = self.apply(cmd)
        assert out.ok, (out.error.code, out.error.message)
        return out

    def reject(self, cmd: c.Command, code: str) -> Rejected:
        before = self.state.model_dump()
        out = self.apply(cmd)
        assert not out.ok, f"expected {code}, got success"
        assert out.error.code == code, (out.error.code, out.error.message)
        assert out.error.message
        assert out.effects == []
        assert self.state.model_dump() == before
        return out.error

    # -- time
    def later(self, seconds: float) -> None:
        self.now += seconds

    def tick(self, seconds: float = 0.0) -> Outcome:
        self.later(seconds)
        return self.do(c.Tick())

    def tick_at(self, when: float) -> Outcome:
        assert when >= self.now
        self.now = when
        return self.do(c.Tick())

    def expire(self) -> Outcome:
        """Jump to the current deadline and let it fire."""
        assert self.state.deadline is not None
        return self.tick_at(self.state.deadline)

    # -- members
    def join(self, name: str, *, spectator: bool = False) -> str:
        mid = name.lower()
        out = self.do(c.Join(mid, name, token(mid), f"sid-{mid}", spectator))
        assert out.reply == r.Seated(mid)
        return mid

    def disconnect(self, mid: str) -> Outcome:
        return self.do(c.Disconnect(self.m(mid).sid))

    def resume(self, mid: str, sid: str | None = None) -> Outcome:
        return self.do(c.Resume(token(mid), sid or f"sid-{mid}-again"))

    def m(self, mid: str):
        return self.state.members[mid]

    @property
    def host(self) -> str:
        return self.state.host_id

    @property
    def phase(self) -> Phase:
        return self.state.phase

    @property
    def turn(self):
        return self.state.turn

    @property
    def giver(self) -> str:
        return self.state.turn.giver_id

    @property
    def guessers(self) -> list[str]:
        return list(self.state.turn.guessers)

    def others(self) -> list[str]:
        """Players other than the current prompt giver, in join order."""
        return [m.id for m in sorted(self.state.players(), key=lambda m: m.seq) if m.id != self.giver]

    def scores(self) -> dict[str, int]:
        return {m.id: m.score for m in self.state.members.values()}

    # -- the game
    def start(self) -> Outcome:
        return self.do(c.StartGame(self.host))

    def prompt(self, text: str = "zebra quartet") -> Outcome:
        return self.do(c.SubmitPrompt(self.giver, text))

    def image(self, url: str = "/images/abc.svg") -> Outcome:
        return self.do(
            c.ImageReady(
                self.turn.number, self.turn.failures, url, provider="test", model="m", cost_usd=0.01, elapsed=1.5
            )
        )

    def fail_image(self, reason: str = "provider down") -> Outcome:
        return self.do(c.ImageFailed(self.turn.number, self.turn.failures, reason))

    def to_guessing(self, text: str = "zebra quartet") -> None:
        self.prompt(text)
        self.image()
        assert self.phase == Phase.GUESSING

    def guess(self, mid: str, text: str) -> r.GuessResult:
        return self.do(c.SubmitGuess(mid, text)).reply

    def play_turn(self, text: str = "zebra quartet", guesses: dict[str, str] | None = None) -> None:
        """Prompt, image, guesses, then wait for the reveal to end."""
        self.to_guessing(text)
        for mid, guess in (guesses or {}).items():
            self.guess(mid, guess)
        if self.phase == Phase.GUESSING:
            self.expire()
        assert self.phase == Phase.REVEAL
        self.expire()


def started(players: int = 3, **kwargs) -> Game:
    game = Game(players, **kwargs)
    game.start()
    return game


# ---------------------------------------------------------------- rooms and joining


def test_new_room_defaults():
    s = new_room(CODE, 1, T0)
    assert s.phase == Phase.LOBBY and s.revision == 0 and s.members == {} and s.host_id is None
    assert s.settings == GameSettings(
        rounds=3, prompt_seconds=45, guess_seconds=60, max_words=5, max_players=8, hints=True, theme="mixed"
    )
    assert s.timing.seat_hold == 120 and s.timing.generation_timeout == 30 and s.timing.reveal == 8
    assert s.timing.empty_room_ttl == 300 and s.timing.finished_room_ttl == 1800
    assert s.timing.max_spectators == 20 and s.timing.max_guesses == 10


def test_creator_is_host_and_players_join_in_order():
    g = Game(3)
    assert g.host == "ann"
    assert [(m.id, m.role, m.seq) for m in g.state.members.values()] == [
        ("ann", "player", 0),
        ("bob", "player", 1),
        ("cy", "player", 2),
    ]
    assert all(m.connected and m.sid == f"sid-{m.id}" and m.token_hash == token(m.id) for m in g.state.members.values())


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Zed  ", "Zed"),
        ("Z\u200bed", "Zed"),
        ("Ze\x00d\x07", "Zed"),
        ("Zed\u202e", "Zed"),
        ("Ze\nd", "Ze d"),
        ("x" * 20, "x" * 20),
    ],
)
def test_names_are_cleaned(raw, clean):
    g = Game(1)
    g.do(c.Join("new", raw, token("new"), "sid-new"))
    assert g.m("new").name == clean


@pytest.mark.parametrize("raw", ["", "   ", "\u200b\u200d", "\x00\x01", "x" * 21])
def test_invalid_names_are_refused(raw):
    g = Game(1)
    g.reject(c.Join("new", raw, token("new"), "sid-new"), "name_invalid")


@pytest.mark.parametrize("raw", ["ann", "ANN", " Ann ", "A\u200bnn", "aNn"])
def test_names_are_unique_ignoring_case(raw):
    g = Game(2)
    g.reject(c.Join("new", raw, token("new"), "sid-new"), "name_taken")
    g.reject(c.Join("new", raw, token("new"), "sid-new", spectator=True), "name_taken")


def test_max_players_then_spectators_only():
    g = Game(3, settings={"max_players": 3})
    g.reject(c.Join("dee", "Dee", token("dee"), "sid-dee"), "room_full")
    g.join("Dee", spectator=True)
    assert g.m("dee").role == "spectator"


def test_twelve_players_at_most():
    g = Game(12, settings={"max_players": 12})
    assert len(g.state.players()) == 12
    g.reject(c.Join("zed", "Zed", token("zed"), "sid-zed"), "room_full")


def test_spectators_are_capped_at_20():
    g = Game(2, spectators=20)
    g.reject(c.Join("zed", "Zed", token("zed"), "sid-zed", spectator=True), "room_full")
    g.join("Zed")  # players may still join
    assert g.m("zed").role == "player"


def test_spectator_cap_follows_timing():
    g = Game(1, spectators=2, timing={"max_spectators": 2})
    g.reject(c.Join("zed", "Zed", token("zed"), "sid-zed", spectator=True), "room_full")


def test_mid_game_joiner_plays_from_the_next_round():
    g = started(2, settings={"rounds": 2})
    first_order = list(g.state.order)
    g.join("Zed")
    zed = g.m("zed")
    assert zed.role == "spectator" and zed.joins_next_round
    g.to_guessing()
    assert "zed" not in g.guessers
    g.reject(c.SubmitGuess("zed", "zebra quartet"), "not_a_player")
    g.reject(c.SetReady("zed", True), "wrong_phase")
    g.expire()  # reveal
    g.expire()  # turn 2
    assert g.turn.round == 1 and "zed" not in g.state.order
    g.play_turn()
    # round 2: Zed is a player and gives a prompt after the others
    assert g.state.round == 2 and g.turn.round == 2
    assert g.m("zed").role == "player" and not g.m("zed").joins_next_round
    assert g.state.order == [*first_order, "zed"]
    g.to_guessing()
    assert "zed" in g.guessers or g.giver == "zed"


def test_mid_game_joiners_count_towards_max_players():
    g = started(2, settings={"max_players": 3})
    g.join("Zed")
    g.reject(c.Join("yan", "Yan", token("yan"), "sid-yan"), "room_full")
    g.join("Yan", spectator=True)
    assert not g.m("yan").joins_next_round


def test_mid_game_joiner_in_the_last_round_is_a_player_when_the_game_ends():
    g = started(2, settings={"rounds": 1})
    g.join("Zed")
    g.play_turn()
    g.play_turn()
    assert g.phase == Phase.FINISHED
    assert g.m("zed").role == "player" and not g.m("zed").joins_next_round


def test_joining_a_finished_room_makes_a_player():
    g = started(2, settings={"rounds": 1})
    g.play_turn()
    g.play_turn()
    g.join("Zed")
    assert g.m("zed").role == "player" and not g.m("zed").joins_next_round


# ---------------------------------------------------------------- host


def test_host_leaving_passes_to_the_longest_present_connected_player():
    g = Game(4)
    g.disconnect("bob")
    g.do(c.Leave("ann"))
    assert g.host == "cy"  # Bob is older but not connected


def test_host_prefers_players_over_spectators():
    g = Game(1)
    g.join("Watcher", spectator=True)
    g.join("Bob")
    g.do(c.Leave("ann"))
    assert g.host == "bob"


def test_host_disconnected_past_the_seat_hold_is_replaced():
    g = Game(3)
    g.disconnect("ann")
    g.tick(119.9)
    assert g.host == "ann" and "ann" in g.state.members
    assert next_wakeup(g.state) == pytest.approx(T0 + 120)
    g.tick_at(T0 + 120)
    assert "ann" not in g.state.members
    assert g.host == "bob"


def test_host_who_comes_back_in_time_stays_host():
    g = Game(3)
    g.disconnect("ann")
    g.later(100)
    g.resume("ann")
    g.tick(100)
    assert g.host == "ann" and g.m("ann").connected


def test_last_member_leaving_closes_the_room():
    g = Game(1)
    out = g.do(c.Leave("ann"))
    assert g.state.closed and of_type(out, fx.CloseRoom) == [fx.CloseRoom("empty")]
    assert next_wakeup(g.state) is None
    g.reject(c.Join("bob", "Bob", token("bob"), "sid-bob"), "room_closed")


# ---------------------------------------------------------------- settings and lobby


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        ("rounds", [1, 10], [0, 11]),
        ("prompt_seconds", [15, 120], [14, 121]),
        ("guess_seconds", [20, 180], [19, 181]),
        ("max_words", [1, 8], [0, 9]),
        ("max_players", [3, 12], [1, 13]),
    ],
)
def test_settings_bounds(field, good, bad):
    g = Game(3)
    for value in good:
        g.do(c.UpdateSettings("ann", {field: value}))
        assert getattr(g.state.settings, field) == value
    for value in bad:
        err = g.reject(c.UpdateSettings("ann", {field: value}), "invalid_settings")
        assert field in err.message


def test_settings_hints_and_theme():
    g = Game(2)
    g.do(c.UpdateSettings("ann", {"hints": False, "theme": "food"}))
    assert g.state.settings.hints is False and g.state.settings.theme == "food"
    err = g.reject(c.UpdateSettings("ann", {"theme": "nope"}), "invalid_settings")
    assert "theme" in err.message


def test_settings_reject_unknown_fields_and_wrong_types():
    g = Game(2)
    g.reject(c.UpdateSettings("ann", {"speed": 3}), "invalid_settings")
    g.reject(c.UpdateSettings("ann", {"rounds": "many"}), "invalid_settings")


def test_settings_changes_are_all_or_nothing():
    g = Game(2)
    g.reject(c.UpdateSettings("ann", {"rounds": 5, "guess_seconds": 5}), "invalid_settings")
    assert g.state.settings.rounds == 3


def test_max_players_cannot_drop_below_the_players_present():
    g = Game(4)
    err = g.reject(c.UpdateSettings("ann", {"max_players": 3}), "invalid_settings")
    assert "max_players" in err.message
    g.do(c.UpdateSettings("ann", {"max_players": 4}))


def test_settings_are_for_the_host_only():
    g = Game(2, spectators=1)
    g.reject(c.UpdateSettings("bob", {"rounds": 2}), "not_host")
    g.reject(c.UpdateSettings("watcher0", {"rounds": 2}), "not_host")
    g.reject(c.UpdateSettings("ghost", {"rounds": 2}), "unknown_member")


def test_settings_only_in_the_lobby_or_after_the_game():
    g = started(2, settings={"rounds": 1})
    for _ in range(2):
        g.reject(c.UpdateSettings("ann", {"rounds": 2}), "wrong_phase")
        g.prompt()
        g.reject(c.UpdateSettings("ann", {"rounds": 2}), "wrong_phase")
        g.image()
        g.reject(c.UpdateSettings("ann", {"rounds": 2}), "wrong_phase")
        g.expire()
        g.reject(c.UpdateSettings("ann", {"rounds": 2}), "wrong_phase")
        g.expire()
    assert g.phase == Phase.FINISHED
    g.do(c.UpdateSettings("ann", {"rounds": 2}))


def test_ready_toggles_for_players_in_the_lobby():
    g = Game(2, spectators=1)
    g.do(c.SetReady("bob", True))
    assert g.m("bob").ready
    g.do(c.SetReady("bob", False))
    assert not g.m("bob").ready
    g.reject(c.SetReady("watcher0", True), "not_a_player")
    g.reject(c.SetReady("ghost", True), "unknown_member")
    g.start()
    g.reject(c.SetReady("bob", True), "wrong_phase")


def test_start_needs_the_host_in_the_lobby():
    g = Game(3)
    g.reject(c.StartGame("bob"), "not_host")
    g.start()
    g.reject(c.StartGame("ann"), "wrong_phase")


def test_start_needs_two_connected_players():
    g = Game(1, spectators=3)
    g.reject(c.StartGame("ann"), "not_enough_players")
    g.join("Bob")
    g.disconnect("bob")
    g.reject(c.StartGame("ann"), "not_enough_players")
    g.resume("bob")
    g.start()


def test_start_without_everyone_ready():
    g = Game(2)
    assert not any(m.ready for m in g.state.members.values())
    g.start()
    assert g.phase == Phase.PROMPTING


def test_start_begins_round_one():
    g = Game(4, spectators=1)
    g.later(5)
    out = g.start()
    s = g.state
    assert s.phase == Phase.PROMPTING and s.game == 1 and s.round == 1 and s.turn_index == 0
    assert sorted(s.order) == ["ann", "bob", "cy", "dee"]
    assert g.turn.number == 1 and g.turn.round == 1 and g.giver == s.order[0]
    assert s.deadline == g.now + 45
    assert out.audience == EVERYONE


def test_turn_order_is_shuffled_from_the_seed():
    orders = {tuple(started(5, seed=seed).state.order) for seed in range(12)}
    assert len(orders) > 1
    assert started(5, seed=3).state.order == started(5, seed=3).state.order


# ---------------------------------------------------------------- prompting


def test_only_the_prompt_giver_writes_the_prompt():
    g = started(3, spectators=1)
    other = g.others()[0]
    g.reject(c.SubmitPrompt(other, "zebra"), "not_your_turn")
    g.reject(c.SubmitPrompt("watcher0", "zebra"), "not_your_turn")
    g.reject(c.SubmitPrompt("ghost", "zebra"), "unknown_member")
    g.reject(c.RequestSuggestions(other), "not_your_turn")
    g.prompt()
    g.reject(c.SubmitPrompt(g.giver, "zebra"), "wrong_phase")


def test_prompt_before_the_game_is_wrong_phase():
    g = Game(2)
    g.reject(c.SubmitPrompt("ann", "zebra"), "wrong_phase")
    g.reject(c.RequestSuggestions("ann"), "wrong_phase")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "prompt_invalid"),
        ("   \u200b ", "prompt_invalid"),
        ("one two three four five six", "prompt_invalid"),  # 6 words > 5
        ("x" * 81, "prompt_invalid"),
        ("123 456", "prompt_invalid"),  # no word at all
        ("a shit sandwich", "prompt_blocked"),
        ("a sh1t sandwich", "prompt_blocked"),
        ("S.H.I.T happens", "prompt_blocked"),
    ],
)
def test_bad_prompts_are_refused(text, code):
    g = started(2)
    g.reject(c.SubmitPrompt(g.giver, text), code)


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("one two three four five", "one two three four five"),
        ("x" * 80, "x" * 80),
        ("  giraffe \n in   a tuxedo ", "giraffe in a tuxedo"),
        ("Scunthorpe class assassin", "Scunthorpe class assassin"),
    ],
)
def test_good_prompts_are_cleaned(text, clean):
    g = started(2)
    out = g.prompt(text)
    assert out.reply == r.PromptAccepted(clean)
    assert g.turn.prompt == clean


def test_word_limit_follows_settings():
    g = Game(2, settings={"max_words": 2})
    g.start()
    g.reject(c.SubmitPrompt(g.giver, "red big ball"), "prompt_invalid")
    g.prompt("red ball")


def test_custom_content_filter():
    env = RulesEnv(score=table_score, content_filter=ContentFilter(["zebra"], use_default=False))
    g = started(2, env=env)
    g.reject(c.SubmitPrompt(g.giver, "two zebras"), "prompt_blocked")
    g.prompt("two horses")


def test_submitting_a_prompt_starts_the_image_job():
    g = started(2)
    g.later(10)
    out = g.prompt("  Zebra   quartet ")
    s = g.state
    assert s.phase == Phase.GENERATING and s.deadline == g.now + 30
    jobs = of_type(out, fx.GenerateImage)
    assert len(jobs) == 1
    job = jobs[0]
    assert (job.turn, job.attempt, job.prompt, job.builtin) == (1, 0, "Zebra quartet", False)
    assert not g.turn.auto_prompt


def test_suggestions_are_three_distinct_prompts_from_the_theme_for_the_giver_only():
    g = started(2, settings={"theme": "food"})
    rev = g.state.revision
    out = g.do(c.RequestSuggestions(g.giver))
    picks = out.reply.suggestions
    assert len(picks) == 3 == len(set(picks))
    assert set(picks) <= set(THEMES["food"])
    assert g.turn.suggestions == picks
    assert out.audience == Audience.only(g.giver)
    assert g.state.revision == rev + 1
    again = g.do(c.RequestSuggestions(g.giver)).reply.suggestions
    assert not set(again) & set(picks)  # fresh ones while the theme has them
    assert g.turn.offered == [*picks, *again]


def test_prompt_timeout_submits_a_suggestion_and_the_giver_earns_nothing():
    g = started(3)
    giver = g.giver
    g.tick(44.9)
    assert g.phase == Phase.PROMPTING
    out = g.expire()
    assert g.phase == Phase.GENERATING
    assert g.turn.auto_prompt and g.turn.prompt in THEMES["mixed"]
    job = of_type(out, fx.GenerateImage)[0]
    assert job.prompt == g.turn.prompt and job.attempt == 0
    g.image()
    for mid in g.guessers:  # everyone gets close: a written prompt would have earned the giver points
        g.guess(mid, "warm guess")
    g.expire()
    assert g.turn.giver_points == 0 and g.m(giver).score == 0
    assert all(g.m(mid).score > 0 for mid in g.guessers)


def test_prompt_timeout_takes_the_first_suggestion_shown():
    g = started(2)
    picks = g.do(c.RequestSuggestions(g.giver)).reply.suggestions
    g.expire()
    assert g.turn.prompt == picks[0] and g.turn.auto_prompt


def test_nothing_happens_before_a_deadline():
    g = started(2)
    rev = g.state.revision
    out = g.tick(44.999)
    assert out.audience == NOBODY and out.effects == [] and g.state.revision == rev
    assert g.phase == Phase.PROMPTING


# ---------------------------------------------------------------- generating


def test_image_ready_starts_guessing():
    g = started(3, spectators=1)
    g.prompt()
    g.later(3)
    g.image("/images/k.svg")
    s, t = g.state, g.turn
    assert s.phase == Phase.GUESSING and s.deadline == g.now + 60
    assert t.guess_started_at == g.now and t.image.url == "/images/k.svg" and t.image.provider == "test"
    assert sorted(t.guessers) == sorted(g.others())
    assert g.giver not in t.guessers and "watcher0" not in t.guessers


def test_first_image_failure_gives_the_prompt_back_with_a_new_timer():
    g = started(3)
    g.later(40)  # 5 s of prompt time left
    g.prompt()
    g.later(2)
    out = g.fail_image("the provider is down")
    assert g.phase == Phase.PROMPTING
    assert g.state.deadline == g.now + 45  # a full timer again
    assert g.turn.failures == 1 and g.turn.failure_reason == "the provider is down"
    assert of_type(out, fx.NotifyMember) == [
        fx.NotifyMember(g.giver, f"sid-{g.giver}", "image:failed", {"reason": "the provider is down", "turn": 1})
    ]
    out = g.prompt("quartet of zebras")
    job = of_type(out, fx.GenerateImage)[0]
    assert (job.attempt, job.builtin, job.prompt) == (1, False, "quartet of zebras")


def test_second_failure_falls_back_to_the_builtin_generator():
    g = started(3)
    g.prompt("zebra quartet")
    g.fail_image()
    g.prompt("zebra quintet")
    out = g.fail_image("again")
    assert g.phase == Phase.GENERATING
    job = of_type(out, fx.GenerateImage)[0]
    assert (job.attempt, job.builtin, job.prompt) == (2, True, "zebra quintet")
    assert g.turn.builtin
    g.image()
    assert g.phase == Phase.GUESSING


def test_third_failure_skips_the_turn():
    g = started(3)
    first = g.giver
    g.prompt()
    g.fail_image()
    g.prompt()
    g.fail_image()
    g.fail_image()  # even the builtin generator failed
    assert g.phase == Phase.PROMPTING and g.turn.number == 2 and g.giver != first
    assert g.state.album == []


def test_generation_timeout():
    g = started(2)
    g.prompt()
    g.tick(29.9)
    assert g.phase == Phase.GENERATING
    out = g.expire()
    assert g.phase == Phase.PROMPTING and g.turn.failures == 1
    assert "too long" in g.turn.failure_reason
    assert of_type(out, fx.NotifyMember)[0].event == "image:failed"
    # the late image of the first attempt is ignored
    g.reject(c.ImageReady(1, 0, "/images/late.svg"), "stale")
    g.prompt()
    g.image()
    assert g.turn.image.url == "/images/abc.svg"


def test_stale_image_results_are_ignored():
    g = started(3)
    g.reject(c.ImageReady(1, 0, "/images/early.svg"), "stale")  # no job yet
    g.prompt()
    g.reject(c.ImageReady(2, 0, "/images/x.svg"), "stale")  # another turn
    g.reject(c.ImageReady(1, 1, "/images/x.svg"), "stale")  # another attempt
    g.reject(c.ImageFailed(1, 1, "x"), "stale")
    g.image()
    g.reject(c.ImageReady(1, 0, "/images/dup.svg"), "stale")  # already guessing
    g.reject(c.ImageFailed(1, 0, "late"), "stale")
    g.expire()
    g.expire()
    g.prompt()
    g.reject(c.ImageReady(1, 0, "/images/old.svg"), "stale")  # the previous turn
    g.reject(c.ImageFailed(1, 0, "old"), "stale")


# ---------------------------------------------------------------- guessing


def test_who_may_guess():
    g = started(3, spectators=1)
    g.reject(c.SubmitGuess(g.others()[0], "zebra"), "wrong_phase")
    g.to_guessing()
    g.reject(c.SubmitGuess(g.giver, "zebra"), "not_allowed")
    g.reject(c.SubmitGuess("watcher0", "zebra"), "not_a_player")
    g.reject(c.SubmitGuess("ghost", "zebra"), "unknown_member")


def test_guess_feedback():
    g = started(3)
    g.to_guessing("zebra quartet")
    a = g.others()[0]
    assert g.guess(a, "cold guess") == r.GuessResult(
        similarity=30, warmth="cold", solved=False, best=30, guesses_left=9
    )
    assert g.guess(a, "hot guess") == r.GuessResult(similarity=75, warmth="hot", solved=False, best=75, guesses_left=8)
    assert g.guess(a, "far off") == r.GuessResult(similarity=5, warmth="cold", solved=False, best=75, guesses_left=7)
    assert g.last.audience == NOBODY  # an unsolved guess answers in its acknowledgement only
    me = g.turn.guessers[a]
    assert [x.text for x in me.guesses] == ["cold guess", "hot guess", "far off"]
    assert me.best_text == "hot guess"


@pytest.mark.parametrize("text", ["", "   ", "x" * 81])
def test_invalid_guesses(text):
    g = started(2)
    g.to_guessing()
    g.reject(c.SubmitGuess(g.others()[0], text), "guess_invalid")


def test_ten_guesses_at_most():
    g = started(2)
    g.to_guessing()
    a = g.others()[0]
    for i in range(10):
        assert g.guess(a, f"wrong {i}").guesses_left == 9 - i
    g.reject(c.SubmitGuess(a, "zebra quartet"), "guess_limit")


def test_guess_limit_follows_timing():
    g = started(2, timing={"max_guesses": 2})
    g.to_guessing()
    a = g.others()[0]
    g.guess(a, "one")
    g.guess(a, "two")
    g.reject(c.SubmitGuess(a, "three"), "guess_limit")


def test_95_solves_and_locks():
    g = started(3)
    g.to_guessing()
    a, b = g.others()
    assert g.guess(a, "almost").solved is False  # 94
    reply = g.guess(a, "near miss")  # 95
    assert reply.solved is True and reply.warmth == "got it"
    assert g.last.audience == EVERYONE  # everyone sees who solved it
    g.reject(c.SubmitGuess(a, "zebra quartet"), "already_solved")
    assert g.phase == Phase.GUESSING  # b has not solved it yet
    g.guess(b, "ZEBRA QUARTET")
    assert g.phase == Phase.REVEAL


def test_a_dropped_guesser_keeps_the_turn_open_until_they_solve_it():
    g = started(4)
    g.to_guessing()
    a, b, d = g.others()
    g.disconnect(d)
    g.guess(a, "zebra quartet")
    g.guess(b, "zebra quartet")
    assert g.phase == Phase.GUESSING  # d is still a pending guesser
    g.later(5)
    g.resume(d)
    g.guess(d, "zebra quartet")
    assert g.phase == Phase.REVEAL


def test_the_last_unsolved_guesser_dropping_never_ends_the_turn_early():
    g = started(3)
    g.to_guessing()
    a, b = g.others()
    g.guess(a, "zebra quartet")
    g.later(10)
    g.disconnect(b)  # a reload or a phone dropping, with 50 s left
    assert g.phase == Phase.GUESSING and b in g.turn.guessers
    g.later(20)
    g.resume(b)
    assert g.phase == Phase.GUESSING
    assert g.guess(b, "zebra quartet").solved and g.phase == Phase.REVEAL


def test_a_dropped_guesser_ends_the_turn_when_their_seat_hold_passes():
    g = started(3, settings={"guess_seconds": 180}, timing={"seat_hold": 30})
    g.to_guessing()
    a, b = g.others()
    g.guess(a, "zebra quartet")
    g.disconnect(b)
    g.tick(29)
    assert g.phase == Phase.GUESSING
    g.tick(2)
    assert b not in g.state.members and g.phase == Phase.REVEAL


def test_a_dropped_guesser_who_never_returns_waits_for_the_timer():
    g = started(3)
    g.to_guessing()
    a, b = g.others()
    g.guess(a, "zebra quartet")
    g.disconnect(b)
    g.expire()
    assert g.phase == Phase.REVEAL and not g.turn.guessers[b].solved


def test_turn_ends_when_the_last_unsolved_guesser_leaves():
    g = started(4)
    g.to_guessing()
    a, b, d = g.others()
    g.guess(a, "zebra quartet")
    g.guess(b, "zebra quartet")
    g.do(c.Leave(d))
    assert g.phase == Phase.REVEAL and d not in g.turn.guessers


def test_guessing_ends_at_the_deadline():
    g = started(3)
    g.to_guessing()
    g.guess(g.others()[0], "zebra quartet")
    g.tick(59.9)
    assert g.phase == Phase.GUESSING
    out = g.expire()
    assert g.phase == Phase.REVEAL and g.state.deadline == g.now + 8
    assert len(of_type(out, fx.TurnEnded)) == 1


def test_best_guess_and_its_time_count():
    g = started(3)
    g.to_guessing()
    start = g.now
    a, b = g.others()
    g.later(6)
    g.guess(a, "hot guess")  # 75 at 6 s
    g.later(10)
    g.guess(a, "cold guess")  # worse, later: ignored
    g.guess(a, "hot guess")  # as good, later: the first one counts
    g.later(20)
    g.guess(b, "warm guess")  # 55 at 36 s
    before = g.scores()
    g.expire()
    expected_a = guesser_points(75, 6, 60)
    expected_b = guesser_points(55, 36, 60)
    assert g.turn.guessers[a].points == expected_a and g.turn.guessers[a].best_at == start + 6
    assert g.m(a).score == before[a] + expected_a
    assert g.m(b).score == before[b] + expected_b
    assert g.turn.giver_points == giver_points([75, 55]) == 130
    assert g.m(g.giver).score == before[g.giver] + 130


def test_nobody_close_gives_the_giver_nothing():
    g = started(3)
    g.to_guessing()
    a, b = g.others()
    g.guess(a, "far off")
    g.expire()
    assert g.turn.giver_points == 0 and g.turn.guessers[a].points == 0 and g.turn.guessers[b].points == 0
    assert all(score == 0 for score in g.scores().values())


def test_turn_ended_summary():
    g = started(3)
    turn_started = g.now
    g.to_guessing()
    a, b = g.others()
    g.guess(a, "zebra quartet")
    g.guess(b, "cold guess")
    out = g.expire()
    (ended,) = of_type(out, fx.TurnEnded)
    assert ended.summary.turn == 1 and ended.summary.guesses == 2 and ended.summary.solved == 1
    assert ended.summary.best_similarity == 100 and ended.summary.guessers == 2
    assert ended.summary.provider == "test" and ended.summary.code == CODE
    assert ended.summary.started_at == turn_started and ended.summary.ended_at == g.now


# ---------------------------------------------------------------- real similarity


def test_real_similarity_solves_a_plural_with_other_case():
    g = started(2, env=REAL_ENV)
    g.to_guessing("angry cat")
    reply = g.guess(g.others()[0], "Angry cats")
    assert reply.solved and reply.similarity >= 95
    assert g.phase == Phase.REVEAL


def test_real_similarity_synonym_is_hot_but_not_solved():
    g = started(2, env=REAL_ENV)
    g.to_guessing("angry cat")
    reply = g.guess(g.others()[0], "furious kitty")
    assert 40 <= reply.similarity < 95 and not reply.solved
    reply = g.guess(g.others()[0], "office meeting")
    assert reply.similarity < 25 and reply.warmth == "cold"
    assert g.turn.guessers[g.others()[0]].best_text == "furious kitty"


# ---------------------------------------------------------------- hints


def test_hints_at_50_and_75_percent():
    g = started(2)
    g.to_guessing()
    start = g.now
    assert next_wakeup(g.state) == start + 30
    rev = g.state.revision
    g.tick_at(start + 29.9)
    assert g.turn.hints_revealed == 0 and g.state.revision == rev
    out = g.tick_at(start + 30)
    assert g.turn.hints_revealed == 1 and g.state.revision == rev + 1 and out.audience == EVERYONE
    assert next_wakeup(g.state) == start + 45
    g.tick_at(start + 45)
    assert g.turn.hints_revealed == 2
    assert next_wakeup(g.state) == start + 60 == g.state.deadline


def test_hints_follow_the_guess_time():
    g = started(2, settings={"guess_seconds": 100})
    g.to_guessing()
    assert next_wakeup(g.state) == g.now + 50
    g.tick(80)  # both hints at once
    assert g.turn.hints_revealed == 2


def test_no_hint_wakeups_when_hints_are_off():
    g = started(2, settings={"hints": False})
    g.to_guessing()
    assert next_wakeup(g.state) == g.state.deadline
    g.tick(50)
    assert g.turn.hints_revealed == 0


# ---------------------------------------------------------------- reveal, rounds, finish


def test_reveal_lasts_the_reveal_time_then_the_next_turn():
    g = started(3)
    order = list(g.state.order)
    g.to_guessing()
    g.expire()
    assert g.phase == Phase.REVEAL and g.state.deadline == g.now + 8
    assert next_wakeup(g.state) == g.state.deadline
    g.tick(7.9)
    assert g.phase == Phase.REVEAL
    g.tick(0.1)
    assert g.phase == Phase.PROMPTING and g.turn.number == 2 and g.giver == order[1]
    assert g.state.deadline == g.now + 45


def test_reveal_time_follows_timing():
    g = started(2, timing={"reveal": 3})
    g.to_guessing()
    g.expire()
    assert g.state.deadline == g.now + 3


def test_everyone_gives_once_per_round_in_the_same_order():
    g = started(3, settings={"rounds": 2})
    order = list(g.state.order)
    seen = []
    while g.phase != Phase.FINISHED:
        seen.append((g.turn.number, g.turn.round, g.giver))
        g.play_turn()
    assert seen == [(i + 1, 1 + i // 3, order[i % 3]) for i in range(6)]


def test_finished_game_has_standings_and_album():
    g = started(3, settings={"rounds": 1})
    order = list(g.state.order)
    prompts = ["zebra quartet", "lunar toaster", "velvet anvil"]
    out = None
    for prompt in prompts:
        g.to_guessing(prompt)
        for i, mid in enumerate(g.others()):
            g.guess(mid, prompt if i == 0 else "warm guess")
        g.expire()  # guessing ends
        out = g.expire()  # the reveal ends
    assert g.phase == Phase.FINISHED
    assert g.state.deadline == g.now + 1800
    (ended,) = of_type(out, fx.GameEnded)
    assert ended.summary.turns == 3 and ended.summary.players == 3
    assert ended.summary.started_at < ended.summary.ended_at == g.now
    album = g.state.album
    assert [(e.turn, e.giver_id, e.prompt) for e in album] == list(zip([1, 2, 3], order, prompts, strict=False))
    assert all(e.image.url == "/images/abc.svg" and len(e.best_guesses) == 2 for e in album)
    table = standings(g.state)
    assert ended.summary.standings == table
    assert [row.score for row in table] == sorted(g.scores().values(), reverse=True)
    assert table[0].place == 1
    assert sum(e.giver_points for e in album) + sum(b.points for e in album for b in e.best_guesses) == sum(
        g.scores().values()
    )


def test_standings_share_places_on_ties():
    g = Game(4)
    for mid, score in {"ann": 50, "bob": 80, "cy": 50, "dee": 10}.items():
        g.state.members[mid].score = score
    assert [(row.player_id, row.place) for row in standings(g.state)] == [("bob", 1), ("ann", 2), ("cy", 2), ("dee", 4)]


def test_new_game_with_the_same_room():
    g = started(2, settings={"rounds": 1})
    g.reject(c.NewGame("ann"), "wrong_phase")
    g.play_turn(guesses={})
    g.to_guessing()
    g.guess(g.others()[0], "zebra quartet")
    g.expire()
    assert g.phase == Phase.FINISHED and sum(g.scores().values()) > 0
    g.reject(c.NewGame("bob"), "not_host")
    g.do(c.SetReady("bob", True))
    g.do(c.NewGame("ann"))
    assert g.phase == Phase.LOBBY and g.state.deadline is None and g.turn is None and g.state.round == 0
    assert g.m("bob").ready  # said "play again" on the finished screen
    g.start()
    assert g.state.game == 2 and g.turn.number == 1 and g.state.album == []
    assert all(score == 0 for score in g.scores().values())


# ---------------------------------------------------------------- disconnection and resume


def test_seat_score_and_id_are_held_while_disconnected():
    g = started(3)
    g.to_guessing()
    a = g.others()[0]
    g.guess(a, "zebra quartet")
    g.expire()
    score = g.m(a).score
    assert score > 0
    g.disconnect(a)
    assert not g.m(a).connected and g.m(a).sid is None and g.m(a).disconnected_at == g.now
    assert next_wakeup(g.state) == min(g.state.deadline, g.now + 120)
    g.tick(60)
    out = g.resume(a, "sid-new")
    assert out.reply == r.Seated(a)
    assert g.m(a).connected and g.m(a).sid == "sid-new" and g.m(a).score == score


def test_disconnect_with_an_unknown_socket_is_refused():
    g = Game(2)
    g.reject(c.Disconnect("sid-nobody"), "unknown_member")
    g.disconnect("bob")
    g.reject(c.Disconnect("sid-bob"), "unknown_member")  # already gone


def test_prompt_timer_pauses_while_the_giver_is_away():
    g = started(3)
    giver = g.giver
    g.later(10)
    g.disconnect(giver)
    assert g.state.deadline is None and g.state.paused_remaining == 35
    g.tick(100)  # far past the original deadline, within the seat hold
    assert g.phase == Phase.PROMPTING and not g.turn.auto_prompt and g.state.paused_remaining == 35
    g.resume(giver)
    assert g.state.deadline == g.now + 35 and g.state.paused_remaining is None
    g.tick(34.9)
    assert g.phase == Phase.PROMPTING
    g.tick(0.1)
    assert g.phase == Phase.GENERATING and g.turn.auto_prompt


def test_prompt_timer_does_not_pause_for_a_guesser():
    g = started(3)
    deadline = g.state.deadline
    g.disconnect(g.others()[0])
    assert g.state.deadline == deadline and g.state.paused_remaining is None


def test_giver_away_past_the_seat_hold_loses_their_turn():
    g = started(3)
    giver = g.giver
    nxt = g.state.order[1]
    g.later(5)
    g.disconnect(giver)
    g.tick_at(g.now + 120)
    assert giver not in g.state.members
    assert g.phase == Phase.PROMPTING and g.turn.number == 2 and g.giver == nxt
    assert g.state.deadline == g.now + 45
    g.reject(c.Resume(token(giver), "sid-back"), "token_invalid")


def test_turn_of_a_disconnected_giver_starts_paused():
    g = started(3)
    later_giver = g.state.order[1]
    g.disconnect(later_giver)
    g.play_turn()
    assert g.giver == later_giver
    assert g.state.deadline is None and g.state.paused_remaining == 45
    g.resume(later_giver)
    assert g.state.deadline == g.now + 45


def test_image_failure_while_the_giver_is_away_pauses_the_prompt_timer():
    g = started(3)
    giver = g.giver
    g.prompt()
    g.disconnect(giver)
    out = g.fail_image()
    assert g.phase == Phase.PROMPTING and g.state.deadline is None and g.state.paused_remaining == 45
    assert of_type(out, fx.NotifyMember)[0].sid is None


def test_two_player_game_ends_when_one_leaves():
    g = started(2)
    g.to_guessing()
    out = g.do(c.Leave(g.others()[0]))
    assert g.phase == Phase.FINISHED and of_type(out, fx.GameEnded)


def test_guesser_removed_past_the_seat_hold():
    g = started(4, settings={"guess_seconds": 180})
    g.to_guessing()
    a, b, d = g.others()
    g.guess(d, "hot guess")
    g.disconnect(d)
    g.tick(120)
    assert d not in g.state.members and d not in g.turn.guessers
    assert g.phase == Phase.GUESSING
    g.guess(a, "zebra quartet")
    g.guess(b, "zebra quartet")
    assert g.phase == Phase.REVEAL


def test_giver_leaving_during_generation_skips_the_turn():
    g = started(3)
    giver = g.giver
    g.prompt()
    g.do(c.Leave(giver))
    assert g.phase == Phase.PROMPTING and g.turn.number == 2 and g.giver != giver
    g.reject(c.ImageReady(1, 0, "/images/late.svg"), "stale")


def test_giver_leaving_during_guessing_keeps_the_turn():
    g = started(3)
    giver = g.giver
    g.to_guessing()
    g.do(c.Leave(giver))
    assert g.phase == Phase.GUESSING
    g.guess(g.others()[0], "zebra quartet")
    g.expire()
    assert g.state.album[-1].giver_name == "?"


def test_room_with_nobody_connected_is_removed_after_the_empty_ttl():
    g = Game(2, timing={"seat_hold": 600})
    g.disconnect("ann")
    g.later(10)
    g.disconnect("bob")
    assert g.state.empty_since == g.now
    assert next_wakeup(g.state) == g.now + 300
    g.tick(299.9)
    assert not g.state.closed
    out = g.tick(0.1)
    assert g.state.closed and of_type(out, fx.CloseRoom) == [fx.CloseRoom("abandoned")]


def test_coming_back_keeps_an_empty_room_open():
    g = Game(2, timing={"seat_hold": 600})
    g.disconnect("ann")
    g.disconnect("bob")
    g.tick(200)
    g.resume("bob")
    assert g.state.empty_since is None
    g.tick(200)
    assert not g.state.closed


def test_seats_wait_for_the_empty_room_ttl_when_nobody_is_connected():
    g = Game(2)  # default timing: seat hold 120 s, empty room 300 s
    g.disconnect("ann")
    g.disconnect("bob")
    g.tick(200)  # past the seat hold, but the whole room is away: seats are kept
    assert set(g.state.members) == {"ann", "bob"} and not g.state.closed
    g.resume("bob")  # one is back: the other's expired hold now applies
    assert set(g.state.members) == {"bob"}
    g.disconnect("bob")
    out = g.tick(300)
    assert g.state.closed and of_type(out, fx.CloseRoom) == [fx.CloseRoom("abandoned")]


def test_finished_room_closes_after_its_ttl():
    g = started(2, settings={"rounds": 1})
    g.play_turn()
    g.play_turn()
    assert g.phase == Phase.FINISHED
    assert next_wakeup(g.state) == g.now + 1800
    g.tick(1799)
    assert not g.state.closed
    out = g.tick(1)
    assert g.state.closed and of_type(out, fx.CloseRoom) == [fx.CloseRoom("finished")]


def test_activity_keeps_a_finished_room_open():
    g = started(2, settings={"rounds": 1})
    g.play_turn()
    g.play_turn()
    g.later(1700)
    g.do(c.Chat("ann", "one more?"))
    g.tick(200)
    assert not g.state.closed
    g.tick(1600)
    assert g.state.closed


def test_closed_room_refuses_everything():
    g = started(2, settings={"rounds": 1})
    g.play_turn()
    g.play_turn()
    g.tick(1800)
    assert g.state.closed
    for cmd in [
        c.Tick(),
        c.Join("zed", "Zed", token("zed"), "sid-zed"),
        c.Resume(token("ann"), "s"),
        c.Chat("ann", "hi"),
        c.NewGame("ann"),
    ]:
        g.reject(cmd, "room_closed")


def test_command_arriving_after_the_room_expired_is_refused():
    """The scheduler's Tick has not run yet, but the room is already past its end."""
    g = started(2, settings={"rounds": 1})
    g.play_turn()
    g.play_turn()
    g.later(1801)
    g.reject(c.Join("zed", "Zed", token("zed"), "sid-zed"), "room_closed")
    g.reject(c.Chat("ann", "hello?"), "room_closed")
    assert not g.state.closed  # the Tick does it
    g.tick()
    assert g.state.closed


def test_resume_replaces_the_old_socket():
    g = Game(2)
    out = g.resume("bob", "sid-tab2")
    assert of_type(out, fx.NotifyMember) == [
        fx.NotifyMember(
            "bob", "sid-bob", "room:replaced", {"message": "You opened this room somewhere else."}, detach=True
        )
    ]
    assert g.m("bob").sid == "sid-tab2"
    g.reject(c.Disconnect("sid-bob"), "unknown_member")  # the old socket holds nothing now


def test_resume_after_a_disconnect_notifies_nobody():
    g = Game(2)
    g.disconnect("bob")
    assert g.resume("bob").effects == []


def test_resume_refuses_unknown_left_and_kicked_tokens():
    g = Game(4)
    g.reject(c.Resume("hash-of-nobody", "s"), "token_invalid")
    g.do(c.Leave("bob"))
    g.reject(c.Resume(token("bob"), "s"), "token_invalid")
    g.do(c.Kick("ann", "cy"))
    g.reject(c.Resume(token("cy"), "s"), "kicked")


def test_a_token_only_works_in_its_own_room():
    one, two = Game(2), Game(0)
    two.join("Zed")
    two.reject(c.Resume(token("bob"), "s"), "token_invalid")
    one.reject(c.Resume(token("zed"), "s"), "token_invalid")


# ---------------------------------------------------------------- kicks


def test_host_kicks():
    g = Game(3, spectators=1)
    out = g.do(c.Kick("ann", "bob"))
    assert "bob" not in g.state.members and token("bob") in g.state.banned
    assert of_type(out, fx.NotifyMember) == [
        fx.NotifyMember(
            "bob", "sid-bob", "room:kicked", {"message": "The host removed you from the room."}, detach=True
        )
    ]
    g.do(c.Kick("ann", "watcher0"))
    assert "watcher0" not in g.state.members


def test_kick_rules():
    g = Game(3)
    g.reject(c.Kick("bob", "cy"), "not_host")
    g.reject(c.Kick("ann", "ann"), "not_allowed")
    g.reject(c.Kick("ann", "ghost"), "unknown_member")


def started_with_a_guest_giver(players: int = 3, **kwargs) -> Game:
    """A started game whose first prompt giver is not the host."""
    for seed in range(50):
        game = started(players, seed=seed, **kwargs)
        if game.giver != game.host:
            return game
    raise AssertionError("no seed gives a guest the first turn")


def test_kicking_the_giver_skips_their_turn():
    g = started_with_a_guest_giver(3)
    giver = g.giver
    g.do(c.Kick(g.host, giver))
    assert g.phase == Phase.PROMPTING and g.turn.number == 2 and g.giver != giver
    assert giver not in g.state.order[g.state.turn_index :]


def test_vote_kick_needs_three_players():
    g = Game(2, spectators=1)
    g.reject(c.VoteKick("bob", "ann"), "not_enough_players")
    g.join("Cy")
    g.reject(c.VoteKick("watcher0", "ann"), "not_a_player")
    g.reject(c.VoteKick("bob", "bob"), "not_allowed")
    g.reject(c.VoteKick("bob", "ghost"), "unknown_member")


def test_vote_kick_by_majority():
    g = Game(3)
    out = g.do(c.VoteKick("bob", "ann"))
    assert out.reply == r.VoteCount(1, 2)
    assert g.state.kick_votes == {"ann": ["bob"]}
    g.reject(c.VoteKick("bob", "ann"), "already_voted")
    out = g.do(c.VoteKick("cy", "ann"))
    assert out.reply == r.VoteCount(2, 2, True)
    assert "ann" not in g.state.members and token("ann") in g.state.banned
    assert g.host == "bob" and g.state.kick_votes == {}
    assert of_type(out, fx.NotifyMember)[0].event == "room:kicked"


def test_vote_kick_majority_of_five():
    g = Game(5)
    assert g.do(c.VoteKick("bob", "ann")).reply.needed == 3
    g.do(c.VoteKick("cy", "ann"))
    assert "ann" in g.state.members
    assert g.do(c.VoteKick("dee", "ann")).reply.kicked is True


def test_votes_of_a_leaving_player_are_dropped():
    g = Game(5)
    g.do(c.VoteKick("bob", "ann"))
    g.do(c.VoteKick("cy", "ann"))
    g.do(c.Leave("bob"))
    assert g.state.kick_votes == {"ann": ["cy"]}
    g.do(c.Leave("ann"))
    assert g.state.kick_votes == {}


def test_a_player_leaving_can_complete_a_standing_vote():
    g = Game(5)  # ann is the target; 4 eligible voters need 3 votes
    g.do(c.VoteKick("bob", "ann"))
    g.do(c.VoteKick("cy", "ann"))
    out = g.do(c.Leave("eli"))  # now 3 eligible voters: 2 votes are a majority
    assert "ann" not in g.state.members and token("ann") in g.state.banned
    assert of_type(out, fx.NotifyMember)[0].event == "room:kicked"
    assert g.state.kick_votes == {}


def test_vote_kicking_the_giver_mid_game():
    g = started(4)
    giver = g.giver
    voters = g.others()
    assert g.do(c.VoteKick(voters[0], giver)).reply == r.VoteCount(1, 2)
    out = g.do(c.VoteKick(voters[1], giver))
    assert out.reply.kicked is True
    assert g.phase == Phase.PROMPTING and g.turn.number == 2 and g.giver != giver


# ---------------------------------------------------------------- chat


def test_chat():
    g = Game(2, spectators=1)
    rev = g.state.revision
    out = g.do(c.Chat("watcher0", "  hello   there "))
    assert out.reply == r.ChatSent(3) and out.audience == NOBODY  # lines 1 and 2: Bob and Watcher0 joined
    assert g.state.revision == rev  # nobody's view changes
    (sent,) = of_type(out, fx.SendChat)
    assert (sent.line.id, sent.line.member_id, sent.line.name, sent.line.text, sent.line.at) == (
        3,
        "watcher0",
        "Watcher0",
        "hello there",
        g.now,
    )
    assert g.do(c.Chat("ann", "x" * 200)).reply == r.ChatSent(4)


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "chat_invalid"), ("  ", "chat_invalid"), ("x" * 201, "chat_invalid"), ("you b1tch", "chat_blocked")],
)
def test_bad_chat(text, code):
    g = Game(2)
    g.reject(c.Chat("ann", text), code)


def test_chat_from_a_stranger():
    g = Game(2)
    g.reject(c.Chat("ghost", "hi"), "unknown_member")


def test_chat_keeps_a_tail():
    g = Game(2)
    for i in range(CHAT_TAIL + 5):
        g.do(c.Chat("ann", f"line {i}"))
    assert len(g.state.chat) == CHAT_TAIL
    assert g.state.chat[0].text == "line 5" and g.state.chat[-1].id == CHAT_TAIL + 6  # 1: "Bob joined"


def test_chat_after_a_deadline_passed_updates_every_view():
    g = started(2)
    g.later(50)
    out = g.do(c.Chat("ann", "too slow"))
    assert out.audience == EVERYONE and g.phase == Phase.GENERATING


# ---------------------------------------------------------------- rejections and purity


def test_every_command_in_the_wrong_place_is_a_clean_rejection():
    """No command raises; each rejection leaves the room exactly as it was."""
    g = Game(3, spectators=1)
    lobby_cmds = [
        (c.SubmitPrompt("ann", "x"), "wrong_phase"),
        (c.RequestSuggestions("ann"), "wrong_phase"),
        (c.SubmitGuess("bob", "x"), "wrong_phase"),
        (c.ImageReady(1, 0, "u"), "stale"),
        (c.ImageFailed(1, 0, "r"), "stale"),
        (c.NewGame("ann"), "wrong_phase"),
        (c.Leave("ghost"), "unknown_member"),
        (c.SetReady("ghost", True), "unknown_member"),
        (c.StartGame("ghost"), "unknown_member"),
        (c.Kick("ghost", "bob"), "unknown_member"),
        (c.VoteKick("ghost", "bob"), "unknown_member"),
        (c.NewGame("ghost"), "unknown_member"),
        (c.RequestSuggestions("ghost"), "unknown_member"),
    ]
    for cmd, code in lobby_cmds:
        g.reject(cmd, code)
    g.start()
    for cmd, code in [
        (c.StartGame("ann"), "wrong_phase"),
        (c.SetReady("bob", True), "wrong_phase"),
        (c.NewGame("ann"), "wrong_phase"),
        (c.UpdateSettings("ann", {}), "wrong_phase"),
    ]:
        g.reject(cmd, code)


def test_revision_grows_with_visible_changes_only():
    g = Game(2)
    rev = g.state.revision
    g.do(c.SetReady("bob", True))
    assert g.state.revision == rev + 1
    g.tick(1)
    assert g.state.revision == rev + 1
    g.reject(c.StartGame("bob"), "not_host")
    assert g.state.revision == rev + 1
    g.start()
    assert g.state.revision == rev + 2


def test_updated_at_follows_the_clock():
    g = Game(2)
    g.later(12)
    g.do(c.SetReady("bob", True))
    assert g.state.updated_at == g.now and g.state.created_at == T0


def test_a_full_game_is_deterministic():
    def run() -> RoomState:
        g = started(3, settings={"rounds": 2}, seed=42)
        while g.phase != Phase.FINISHED:
            if g.turn.number % 2:
                g.do(c.RequestSuggestions(g.giver))
                g.expire()  # auto prompt
                g.image()
            else:
                g.to_guessing()
            for mid in g.guessers:
                g.guess(mid, "warm guess")
            g.expire()
            g.expire()
        return g.state

    assert run() == run()


def test_joining_an_empty_room_keeps_it_open():
    g = Game(1, timing={"seat_hold": 600})
    g.disconnect("ann")
    g.tick(250)
    g.join("Bob")
    assert g.state.empty_since is None
    g.tick(100)
    assert not g.state.closed


def test_image_of_a_previous_game_is_stale():
    g = started(2)
    g.prompt()  # job (turn 1, attempt 0) of game 1 is out
    g.do(c.Leave(g.others()[0]))
    assert g.phase == Phase.FINISHED
    g.join("Zed")
    g.do(c.NewGame(g.host))
    g.start()
    g.prompt("lunar toaster")
    g.reject(c.ImageReady(1, 0, "/images/game-one.svg", game=1), "stale")


# ---------------------------------------------------------------- why a best guess scored so


class Explainer:
    """An explainer that says which prompt and guess it explained, and counts its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, prompt: str, guess: str) -> str:
        self.calls.append((prompt, guess))
        return f"{guess} ~ {prompt}"


def explained_game(players: int = 4) -> tuple[Game, Explainer]:
    explainer = Explainer()
    return started(players, env=RulesEnv(score=table_score, explain=explainer)), explainer


def test_the_reveal_explains_each_best_guess_once():
    g, explainer = explained_game(4)
    g.to_guessing("zebra quartet")
    a, b, silent = g.others()
    g.guess(a, "cold guess")
    g.guess(a, "hot guess")
    g.guess(a, "warm guess")  # not a better one: "hot guess" stays a's best
    g.guess(b, "zebra quartet")  # solved: points at once, but no reason before the reveal
    assert explainer.calls == [] and all(x.reason is None for x in g.turn.guessers.values())
    g.expire()  # the timer reveals: the deadline has no env of its own
    assert g.phase == Phase.REVEAL
    assert sorted(explainer.calls) == [("zebra quartet", "hot guess"), ("zebra quartet", "zebra quartet")]
    guessers = g.turn.guessers
    assert guessers[a].reason == "hot guess ~ zebra quartet"
    assert guessers[b].reason == "zebra quartet ~ zebra quartet"
    assert guessers[silent].reason is None  # no guess, nothing to explain
    album = {x.player_id: x.reason for x in g.state.album[-1].best_guesses}
    assert album == {a: guessers[a].reason, b: guessers[b].reason, silent: None}
    g.expire()  # the next turn: nothing is explained again
    assert len(explainer.calls) == 2


def test_a_reveal_by_the_last_solver_or_a_departure_explains_too():
    g, explainer = explained_game(3)
    g.to_guessing("zebra quartet")
    a, b = g.others()
    g.guess(a, "Zebra Quartet")
    g.guess(b, "zebra quartet")  # every guesser solved: this guess reveals
    assert g.phase == Phase.REVEAL and len(explainer.calls) == 2
    assert g.turn.guessers[b].reason == "zebra quartet ~ zebra quartet"

    g, explainer = explained_game(4)
    g.to_guessing("lunar toaster")
    a, b, c3 = g.others()
    g.guess(a, "lunar toaster")
    g.guess(b, "lunar toaster")
    g.guess(c3, "far off")
    g.do(c.Leave(c3))  # the last unsolved guesser leaves: the others are done
    assert g.phase == Phase.REVEAL
    assert {x.reason for x in g.state.album[-1].best_guesses} == {"lunar toaster ~ lunar toaster"}


def test_an_explainer_without_a_reason_leaves_none():
    g = started(3)  # the default env explains nothing
    g.to_guessing("zebra quartet")
    g.guess(g.others()[0], "warm guess")
    g.expire()
    assert all(x.reason is None for x in g.turn.guessers.values())
    assert all(x.reason is None for x in g.state.album[-1].best_guesses)


def test_the_real_explainer_names_the_words_that_matched():
    from imprompt.similarity import explain

    g = started(2, env=RulesEnv(score=similarity, explain=explain))
    g.to_guessing("a pig wearing sunglasses")
    guesser = g.others()[0]
    g.guess(guesser, "hog in shades")
    g.expire()
    reason = g.turn.guessers[guesser].reason
    assert reason == explain("a pig wearing sunglasses", "hog in shades")
    assert reason and "hog" in reason and len(reason) <= 120


def test_rooms_saved_before_reasons_still_load():
    g, _ = explained_game(3)
    g.to_guessing("zebra quartet")
    g.guess(g.others()[0], "hot guess")
    g.expire()
    saved = g.state.model_dump(mode="json")
    for x in saved["turn"]["guessers"].values():
        del x["reason"]
    for entry in saved["album"]:
        for x in entry["best_guesses"]:
            del x["reason"]
    old = RoomState.model_validate(saved)
    assert all(x.reason is None for x in old.turn.guessers.values())
    assert all(x.reason is None for e in old.album for x in e.best_guesses)
    assert RoomState.model_validate_json(old.model_dump_json()) == old
