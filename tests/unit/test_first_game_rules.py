"""Rules a new group ran into in its first games (issue 15): points, scores, suggestions."""

from __future__ import annotations

import random

from imprompt.game import commands as c
from imprompt.game.state import Phase
from imprompt.game.suggestions import THEMES, suggest

from .test_rules import Game, started


def test_a_giver_who_left_during_guessing_is_shown_no_points():
    g = started(4)
    g.to_guessing()
    giver = g.giver
    a, b, d = g.others()
    g.guess(a, "zebra quartet")
    g.do(c.Leave(giver))
    assert g.phase == Phase.GUESSING
    g.guess(b, "zebra quartet")
    g.guess(d, "warm guess")
    g.expire()
    assert g.phase == Phase.REVEAL
    assert g.turn.giver_points == 0 and g.state.album[-1].giver_points == 0
    total = sum(r.points for r in g.state.album[-1].best_guesses)
    assert sum(g.scores().values()) == total  # every point shown was given to someone here


def test_a_giver_who_stayed_still_earns_points():
    g = started(3)
    g.to_guessing()
    for mid in g.others():
        g.guess(mid, "zebra quartet")
    assert g.phase == Phase.REVEAL and g.turn.giver_points > 0
    assert g.m(g.giver).score == g.turn.giver_points


def test_a_new_game_starts_the_lobby_with_zero_scores():
    g = started(2, settings={"rounds": 1})
    for _ in range(2):
        g.play_turn(guesses={g.others()[0]: "zebra quartet"})
    assert g.phase == Phase.FINISHED and sum(g.scores().values()) > 0
    g.do(c.NewGame("ann"))
    assert g.phase == Phase.LOBBY and set(g.scores().values()) == {0}


def test_suggestions_never_offer_a_prompt_played_this_game():
    theme = "mixed"
    pool = THEMES[theme]
    played = pool[: len(pool) - 3]  # all but three are used up
    for seed in range(30):
        picks = suggest(theme, random.Random(seed), 3, used=[p.upper() for p in played])
        assert sorted(picks) == sorted(pool[-3:])


def test_the_rules_pass_the_games_prompts_to_suggestions():
    g = started(2, settings={"rounds": 3, "theme": "food"})
    pool = THEMES["food"]
    g.play_turn(pool[0])
    g.play_turn(pool[1])
    for _ in range(25):
        picks = g.do(c.RequestSuggestions(g.giver)).reply.suggestions
        assert pool[0] not in picks and pool[1] not in picks


def test_hints_leave_punctuation_out_of_the_words():
    from imprompt.game.hints import hint_pattern

    assert hint_pattern("hill!!", 0, 1) == ["____"]
    masks = hint_pattern("rock-n-roll & “dog's” bone.", 0, 1)
    assert masks == ["____-_-____", "___'_", "____"]


def test_names_that_only_look_alike_are_the_same_name():
    g = started(2)
    g.join("Uma")
    g.reject(c.Join("x1", "Umа", "hash-x1", "sid-x1"), "name_taken")  # a Cyrillic а
    g.reject(c.Join("x2", "UΜA", "hash-x2", "sid-x2"), "name_taken")  # a Greek capital Mu
    g.join("Umar")  # a different name is still welcome


def test_only_players_can_be_voted_out():
    g = Game(3, spectators=1)
    g.reject(c.VoteKick("bob", "watcher0"), "not_a_player")
    assert g.state.kick_votes == {}


def test_a_vote_kick_can_be_taken_back():
    g = Game(5)  # four may vote on dee: three votes needed
    out = g.do(c.VoteKick("bob", "dee"))
    assert out.reply.votes == 1
    out = g.do(c.UnvoteKick("bob", "dee"))
    assert out.reply.votes == 0 and "dee" not in g.state.kick_votes
    g.reject(c.UnvoteKick("bob", "dee"), "not_voted")
    g.do(c.VoteKick("bob", "dee"))
    g.do(c.VoteKick("cy", "dee"))
    g.do(c.UnvoteKick("cy", "dee"))
    assert "dee" in g.state.members  # one vote of the three needed is left
    g.reject(c.UnvoteKick("ghost", "dee"), "unknown_member")


def test_the_player_voted_on_sees_no_count():
    from imprompt.game.views import view_for

    g = Game(4)
    g.do(c.VoteKick("bob", "dee"))
    assert view_for(g.state, "dee", g.now)["kickVotes"] == {}
    assert view_for(g.state, "cy", g.now)["kickVotes"] == {"dee": 1}
    assert view_for(g.state, "bob", g.now)["yourKickVotes"] == ["dee"]
    assert view_for(g.state, "cy", g.now)["yourKickVotes"] == []


def test_a_kicked_browser_stays_out_under_any_name():
    g = Game(3)
    g.do(c.Join("zed", "Zed", "hash-zed", "sid-zed", device_hash="dev-1"))
    g.do(c.Kick("ann", "zed"))
    g.reject(c.Join("zed2", "Zorro", "hash-zed2", "sid-zed2", device_hash="dev-1"), "kicked")
    g.do(c.Join("amy", "Amy", "hash-amy", "sid-amy", device_hash="dev-2"))
    g.do(c.Join("bo", "Bo", "hash-bo", "sid-bo"))  # a browser without a key can still join


def test_a_skipped_turn_is_shown_during_the_next_one():
    from imprompt.game.views import view_for

    g = started(4)
    giver = g.giver
    g.do(c.Leave(giver))
    v = view_for(g.state, g.others()[0], g.now)
    assert v["turn"]["number"] == 2
    assert v["skippedTurn"] == {
        "turn": 1,
        "giverId": giver,
        "giverName": v["skippedTurn"]["giverName"],
        "reason": "giver_left",
    }
    assert v["skippedTurn"]["giverName"] in {"Ann", "Bob", "Cy", "Dee"}
    g.play_turn()
    assert view_for(g.state, g.giver, g.now)["skippedTurn"] is None  # only during the turn after it


def test_a_turn_without_a_picture_is_shown_as_skipped():
    from imprompt.game.views import view_for

    g = started(3)
    g.prompt()
    for _ in range(3):
        if g.phase == Phase.PROMPTING:
            g.prompt()
        g.fail_image()
    v = view_for(g.state, g.giver, g.now)
    assert v["turn"]["number"] == 2 and v["skippedTurn"]["reason"] == "no_image"


def test_players_who_left_stay_on_the_podium_greyed_out():
    from imprompt.game.standings import standings
    from imprompt.game.views import view_for

    g = started(3, settings={"rounds": 1})
    g.play_turn(guesses={mid: "zebra quartet" for mid in g.others()})
    scored = {mid: s for mid, s in g.scores().items() if s > 0}
    leaver = max(scored, key=scored.get)
    g.do(c.Leave(leaver))
    while g.phase != Phase.FINISHED:
        g.play_turn()
    table = standings(g.state)
    gone = [row for row in table if row.player_id == leaver]
    assert len(gone) == 1 and gone[0].left and gone[0].score == scored[leaver]
    shown = view_for(g.state, next(iter(g.state.members)), g.now)["standings"]
    assert [r["left"] for r in shown if r["playerId"] == leaver] == [True]
    assert sum(1 for r in shown if not r["left"]) == len(g.state.players())


def test_the_game_starts_when_every_player_here_is_ready():
    g = Game(3, spectators=1)
    g.do(c.SetReady("bob", True))
    g.do(c.SetReady("cy", True))
    assert g.phase == Phase.LOBBY  # the host is not ready yet
    g.disconnect("cy")
    g.do(c.SetReady("ann", True))  # everyone connected (ann, bob) is ready
    assert g.phase == Phase.PROMPTING and g.state.game == 1
    assert not any(m.ready for m in g.state.members.values())  # ready is for the next game


def test_a_lone_ready_player_does_not_start_a_game():
    g = Game(1, spectators=1)
    g.do(c.SetReady("ann", True))
    assert g.phase == Phase.LOBBY


def test_play_again_on_the_finished_screen_carries_into_the_lobby():
    g = started(3, settings={"rounds": 1})
    while g.phase != Phase.FINISHED:
        g.play_turn()
    g.do(c.SetReady("bob", True))  # "play again"
    g.do(c.NewGame("ann"))
    assert g.phase == Phase.LOBBY and g.m("bob").ready and not g.m("cy").ready
    g.do(c.SetReady("cy", True))
    assert g.phase == Phase.LOBBY
    g.do(c.SetReady("ann", True))
    assert g.phase == Phase.PROMPTING and g.state.game == 2
