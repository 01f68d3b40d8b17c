"""Big screens (issue 12): watching, never playing; the album the host steps through."""

from __future__ import annotations

from imprompt.game import commands as c
from imprompt.game import replies as r
from imprompt.game.rules import reopen
from imprompt.game.rules.membership import MAX_SCREENS
from imprompt.game.state import Phase
from imprompt.game.views import RoomViews

from .test_rules import Game, started, token


def watch(g: Game, sid: str = "tv") -> str:
    out = g.do(c.WatchScreen(sid, f"sid-{sid}"))
    assert out.reply == r.Seated(sid)
    return sid


def finished(players: int = 2) -> Game:
    g = started(players, settings={"rounds": 1})
    while g.phase != Phase.FINISHED:
        g.play_turn(guesses={g.others()[0]: "warm guess"})
    return g


def test_a_screen_is_not_a_member_and_counts_against_no_cap():
    g = Game(2, settings={"max_players": 2}, timing={"max_spectators": 1})
    g.join("Watcher", spectator=True)
    watch(g)  # players and spectators are both full
    assert "tv" not in g.state.members and len(g.state.players()) == 2
    g.reject(c.Join("zed", "Zed", token("zed"), "sid-zed", spectator=True), "room_full")
    view = RoomViews(g.state, g.now).of("ann")
    assert view["screens"] == 1 and all(m["role"] != "screen" for m in view["members"])


def test_screens_are_capped_per_room():
    g = Game(2)
    for i in range(MAX_SCREENS):
        watch(g, f"tv{i}")
    g.reject(c.WatchScreen("tvx", "sid-tvx"), "room_full")


def test_a_screen_cannot_play_write_chat_or_manage():
    g = started(3)
    watch(g)
    g.reject(c.SubmitPrompt("tv", "zebra quartet"), "not_a_player")
    g.prompt()
    g.image()
    for cmd in (
        c.SubmitGuess("tv", "zebra quartet"),
        c.Chat("tv", "it is a zebra"),
        c.Kick("tv", "bob"),
        c.VoteKick("tv", "bob"),
        c.StepAlbum("tv", 0),
        c.SetReady("tv", True),
    ):
        g.reject(cmd, "not_a_player")
    assert "tv" not in g.turn.guessers


def test_a_screen_sees_exactly_what_a_spectator_sees():
    g = started(3, spectators=1)
    watch(g)
    g.to_guessing()
    g.guess(g.others()[0], "warm guess")
    g.do(c.VoteKick("ann", "cy"))  # a spectator sees the count: a screen too
    shown = []
    for _ in range(2):  # guessing, then the reveal
        views = RoomViews(g.state, g.now)
        tv, spectator = views.of("tv"), views.of("watcher0")
        assert tv["you"]["role"] == "screen" and spectator["you"]["role"] == "spectator"
        assert {**tv, "you": None} == {**spectator, "you": None}
        shown.append(tv["turn"])
        g.expire()
    assert shown[0]["prompt"] is None and "yours" not in shown[0] and shown[0]["hint"]
    assert shown[1]["prompt"] == "zebra quartet" and shown[1]["results"]


def test_a_screen_never_becomes_host_and_does_not_keep_a_room_alive():
    g = Game(1)
    watch(g)
    out = g.do(c.Leave("ann"))
    assert g.state.closed and out.effects  # the last member left: the room closes, screen or not


def test_a_screen_is_dropped_on_disconnect_and_may_leave():
    g = Game(2)
    watch(g, "tv1")
    watch(g, "tv2")
    g.do(c.Disconnect("sid-tv1"))
    assert list(g.state.screens) == ["tv2"] and g.state.empty_since is None
    g.do(c.Leave("tv2"))
    assert g.state.screens == {}
    g.reject(c.Resume(token("tv1"), "sid-again"), "token_invalid")  # nothing to resume: it watches again
    watch(g, "tv1")


def test_a_reopened_room_forgets_its_screens():
    g = Game(2)
    watch(g)
    assert reopen(g.state, g.now, g.now + 30).screens == {}


def test_the_host_steps_the_album_and_screens_follow():
    g = finished(2)
    assert len(g.state.album) == 2
    guest = next(m for m in g.state.members if m != g.host)
    watch(g)
    assert RoomViews(g.state, g.now).of("tv")["albumIndex"] == 0
    g.do(c.StepAlbum(g.host, 1))
    assert RoomViews(g.state, g.now).of("tv")["albumIndex"] == 1
    g.reject(c.StepAlbum(guest, 0), "not_host")
    g.reject(c.StepAlbum(g.host, 2), "not_allowed")
    g.do(c.NewGame(g.host))
    g.reject(c.StepAlbum(g.host, 0), "wrong_phase")
    g.start()
    assert g.state.album_index == 0  # a new game starts its album at the first picture


def test_album_step_needs_the_finished_phase():
    g = started(2)
    g.reject(c.StepAlbum(g.host, 0), "wrong_phase")
