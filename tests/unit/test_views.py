"""What each member may see: `views.view_for(state, member_id, now)`.

Secrets until the reveal: the prompt (only its giver sees it), the giver's suggestions,
and every guess text (a guesser sees only their own).
"""

from __future__ import annotations

import json

from imprompt import PROTOCOL_VERSION
from imprompt.game import commands as c
from imprompt.game.rules import CHAT_TAIL
from imprompt.game.scoring import warmth
from imprompt.game.state import GuesserState, Phase, RoomState
from imprompt.game.views import RoomViews, chat_history, view_for

from .test_rules import Game, explained_game, started

SECRET_PHASES = (Phase.PROMPTING, Phase.GENERATING, Phase.GUESSING)


def view(g: Game, mid: str) -> dict:
    v = view_for(g.state, mid, g.now)
    json.dumps(v)  # always plain JSON
    return v


def secrets_for(state: RoomState, member_id: str) -> set[str]:
    """Texts this member must not see now: the prompt, the suggestions, the others' guesses."""
    turn = state.turn
    if turn is None or state.phase not in SECRET_PHASES:
        return set()
    secret: set[str] = set()
    if member_id != turn.giver_id:
        secret |= set(turn.suggestions) | set(turn.offered)
        if turn.prompt:
            secret.add(turn.prompt)
    for mid, g in turn.guessers.items():
        if mid != member_id:
            secret |= {x.text for x in g.guesses}
    mine = turn.guessers.get(member_id, GuesserState())
    secret -= {x.text for x in mine.guesses}  # what you typed yourself is no secret to you
    if member_id == turn.giver_id and turn.prompt:
        secret.discard(turn.prompt)  # another guesser typed the prompt exactly
    return secret


WARMTH_LABELS = {warmth(n) for n in range(101)}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def leaks(state: RoomState, member_id: str, now: float) -> list[str]:
    text = "\n".join(_strings(view_for(state, member_id, now)))  # values only: a key like "skipped" is no leak
    # A one-word prompt or guess may equal a public string (the theme's name, a player's name,
    # a warmth label such as "hot").
    public = {state.settings.theme, *(m.name for m in state.members.values()), *WARMTH_LABELS}
    return sorted(s for s in secrets_for(state, member_id) - public if s in text)


def assert_no_leaks(g: Game) -> None:
    for mid in g.state.members:
        assert leaks(g.state, mid, g.now) == [], (g.phase, mid)
    assert_shared_views_are_each_members_own(g)


def assert_shared_views_are_each_members_own(g: Game) -> None:
    """RoomViews builds the common part once: every member's view from it must be what
    that member's view alone is, in any order, and encoding one must not change another."""
    members = list(g.state.members)
    alone = {mid: json.dumps(RoomViews(g.state, g.now).of(mid), sort_keys=True) for mid in members}
    views = RoomViews(g.state, g.now)
    built = {mid: views.of(mid) for mid in reversed(members)}
    assert {mid: json.dumps(v, sort_keys=True) for mid, v in built.items()} == alone, g.phase


# ---------------------------------------------------------------- shape


def test_lobby_view():
    g = Game(2, spectators=1)
    g.do(c.SetReady("bob", True))
    g.later(3)
    v = view(g, "bob")
    assert v["protocol"] == PROTOCOL_VERSION == 1
    assert v["code"] == g.state.code and v["revision"] == g.state.revision and v["serverTime"] == g.now
    assert v["phase"] == "lobby" and v["game"] == 0 and v["hostId"] == "ann"
    assert v["you"] == {
        "id": "bob",
        "name": "Bob",
        "role": "player",
        "isHost": False,
        "score": 0,
        "joinsNextRound": False,
    }
    assert v["settings"] == {
        "rounds": 3,
        "promptSeconds": 45,
        "guessSeconds": 60,
        "maxWords": 5,
        "maxPlayers": 8,
        "hints": True,
        "theme": "mixed",
        "packOnly": False,
        "imageStyle": "none",
        "imageReview": False,
        "imageChoices": 1,
    }
    assert v["customPack"] is None
    assert [m["id"] for m in v["members"]] == ["ann", "bob", "watcher0"]
    assert v["members"][1] == {
        "id": "bob",
        "name": "Bob",
        "role": "player",
        "score": 0,
        "connected": True,
        "ready": True,
        "isHost": False,
        "joinsNextRound": False,
    }
    assert v["members"][0]["isHost"] and v["members"][2]["role"] == "spectator"
    assert v["round"] == 0 and v["rounds"] == 3 and v["deadline"] is None
    assert v["paused"] is False and v["pausedRemaining"] is None
    assert v["turn"] is None and v["kickVotes"] == {} and v["album"] == [] and v["standings"] is None
    assert v["canStart"] is True and v["closed"] is False


def test_can_start_needs_two_connected_players():
    g = Game(2)
    assert view(g, "ann")["canStart"]
    g.disconnect("bob")
    assert not view(g, "ann")["canStart"]
    g.resume("bob")
    g.start()
    assert not view(g, "ann")["canStart"]


def test_view_of_someone_who_is_not_here():
    g = Game(2)
    g.do(c.Leave("bob"))
    v = view(g, "bob")
    assert v["you"] is None and [m["id"] for m in v["members"]] == ["ann"]


def test_mid_game_joiner_view():
    g = started(2)
    g.join("Zed")
    v = view(g, "zed")
    assert v["you"]["role"] == "spectator" and v["you"]["joinsNextRound"] is True
    assert v["members"][-1]["joinsNextRound"] is True


def test_kick_votes_are_counts():
    g = Game(4)
    g.do(c.VoteKick("bob", "ann"))
    g.do(c.VoteKick("bob", "dee"))
    assert view(g, "cy")["kickVotes"] == {"ann": 1, "dee": 1}


def test_paused_prompt_timer():
    g = started(3)
    giver = g.giver
    g.later(5)
    g.disconnect(giver)
    v = view(g, g.others()[0])
    assert v["paused"] is True and v["pausedRemaining"] == 40 and v["deadline"] is None
    assert next(m for m in v["members"] if m["id"] == giver)["connected"] is False


def test_chat_history_is_the_tail_in_protocol_shape():
    g = Game(2)
    for i in range(CHAT_TAIL + 3):
        g.do(c.Chat("bob", f"msg {i}"))
    history = chat_history(g.state, "ann")
    assert len(history) == CHAT_TAIL
    assert history[-1] == {
        "id": g.state.chat_seq,
        "playerId": "bob",
        "name": "Bob",
        "text": f"msg {CHAT_TAIL + 2}",
        "at": g.now,
        "kind": "player",
        "event": None,
        "channel": "all",
    }
    assert "msg 0" not in json.dumps(view(g, "ann"))  # chat is not part of the view


# ---------------------------------------------------------------- secrets phase by phase


def test_prompting_suggestions_are_for_the_giver_only():
    g = started(3, spectators=1)
    picks = g.do(c.RequestSuggestions(g.giver)).reply.suggestions
    mine = view(g, g.giver)["turn"]
    assert mine["suggestions"] == picks and mine["prompt"] is None and mine["giverId"] == g.giver
    for mid in [*g.others(), "watcher0"]:
        turn = view(g, mid)["turn"]
        assert "suggestions" not in turn and turn["prompt"] is None
    assert_no_leaks(g)


def test_generating_prompt_is_for_the_giver_only():
    g = started(3, spectators=1)
    g.prompt("zebra quartet")
    assert view(g, g.giver)["turn"]["prompt"] == "zebra quartet"
    assert view(g, g.giver)["turn"]["autoPrompt"] is False
    for mid in [*g.others(), "watcher0"]:
        turn = view(g, mid)["turn"]
        assert turn["prompt"] is None and turn["autoPrompt"] is None and turn["imageUrl"] is None
    assert_no_leaks(g)


def test_failure_reason_is_private_to_the_giver():
    g = started(3)
    g.prompt("zebra quartet")
    g.fail_image("rate limit at provider X for 'zebra quartet'")
    assert view(g, g.giver)["turn"]["failureReason"] == "rate limit at provider X for 'zebra quartet'"
    assert view(g, g.giver)["turn"]["prompt"] == "zebra quartet"  # the old prompt, to edit
    other = view(g, g.others()[0])["turn"]
    assert other["failureReason"] and "zebra" not in other["failureReason"]
    assert other["failures"] == 1 and other["prompt"] is None
    assert_no_leaks(g)


def test_guessing_views():
    g = started(3, spectators=1)
    g.to_guessing("zebra quartet")
    a, b = g.others()
    g.guess(a, "hot guess")
    g.guess(b, "cold guess")
    g.guess(b, "lunar toaster")

    mine = view(g, a)["turn"]
    assert mine["prompt"] is None and mine["imageUrl"] == "/images/abc.svg" and mine["imageProvider"] is None
    assert mine["hint"] == ["_____", "_______"]
    assert mine["yours"] == {
        "guesses": [{"text": "hot guess", "similarity": 75, "warmth": "hot"}],
        "best": 75,
        "solved": False,
        "guessesLeft": 9,
    }
    assert sorted(mine["guesserIds"]) == sorted([a, b]) and mine["solvedIds"] == []
    assert "results" not in mine and "giverPoints" not in mine

    giver = view(g, g.giver)["turn"]
    assert giver["prompt"] == "zebra quartet" and "hint" not in giver and "yours" not in giver

    watcher = view(g, "watcher0")["turn"]
    assert watcher["prompt"] is None and watcher["hint"] == ["_____", "_______"] and "yours" not in watcher
    assert_no_leaks(g)


def test_hint_shows_one_more_letter_at_each_step():
    g = started(2)
    g.to_guessing("zebra quartet")
    guesser = g.others()[0]
    counts = []
    for seconds in (0, 30, 15):
        g.tick(seconds)
        hint = view(g, guesser)["turn"]["hint"]
        assert [len(w) for w in hint] == [5, 7]
        counts.append(sum(w.count("_") for w in hint))
    assert counts == [12, 11, 10]


def test_no_hint_when_hints_are_off():
    g = started(2, settings={"hints": False})
    g.to_guessing()
    assert "hint" not in view(g, g.others()[0])["turn"]


def test_solvers_are_visible_but_not_their_guesses():
    g = started(3)
    g.to_guessing("zebra quartet")
    a, b = g.others()
    g.guess(a, "Zebra Quartet")
    v = view(g, b)
    assert v["turn"]["solvedIds"] == [a]
    assert "Zebra Quartet" not in json.dumps(v) and "zebra quartet" not in json.dumps(v)
    assert_no_leaks(g)


def test_reveal_shows_everything():
    g = started(3, spectators=1)
    g.to_guessing("zebra quartet")
    a, b = g.others()
    g.guess(a, "warm guess")
    g.guess(b, "hot guess")
    g.expire()
    for mid in g.state.members:
        turn = view(g, mid)["turn"]
        assert turn["prompt"] == "zebra quartet" and turn["autoPrompt"] is False
        assert turn["imageProvider"] == "test" and turn["imageUrl"] == "/images/abc.svg"
        results = {r["playerId"]: r for r in turn["results"]}
        assert results[a]["guess"] == "warm guess" and results[a]["similarity"] == 55
        assert results[b]["guess"] == "hot guess" and results[b]["points"] == g.turn.guessers[b].points
        assert turn["giverPoints"] == g.turn.giver_points > 0
    assert view(g, a)["turn"]["yours"]["best"] == 55


def test_finished_view_has_standings_and_album():
    g = started(2, settings={"rounds": 1})
    prompts = []
    while g.phase != Phase.FINISHED:
        prompts.append(f"velvet anvil {g.turn.number}")
        g.to_guessing(prompts[-1])
        g.guess(g.others()[0], prompts[-1])
        g.expire()
    v = view(g, "ann")
    assert v["phase"] == "finished" and v["deadline"] == g.state.deadline
    assert [e["prompt"] for e in v["album"]] == prompts
    entry = v["album"][0]
    assert set(entry) == {"turn", "round", "giverId", "giverName", "prompt", "imageUrl", "bestGuesses", "giverPoints"}
    assert entry["imageUrl"] == "/images/abc.svg" and entry["bestGuesses"][0]["guess"] == prompts[0]
    assert [s["place"] for s in v["standings"]] in ([1, 2], [1, 1])
    assert {s["playerId"] for s in v["standings"]} == {"ann", "bob"}
    assert v["turn"]["prompt"] == prompts[-1]  # the last turn stays revealed


def test_auto_prompt_is_hidden_until_the_reveal():
    g = started(3)
    g.expire()  # the timer picks a suggestion
    auto = g.turn.prompt
    assert view(g, g.giver)["turn"]["autoPrompt"] is True
    assert view(g, g.others()[0])["turn"]["autoPrompt"] is None
    g.image()
    assert auto not in json.dumps(view(g, g.others()[0]))
    g.expire()
    assert view(g, g.others()[0])["turn"]["autoPrompt"] is True


def test_a_full_game_never_leaks():
    """Every member's view, after every step of a game with a spectator and a late joiner."""
    g = started(3, spectators=1, settings={"rounds": 2})
    steps = 0
    while g.phase != Phase.FINISHED:
        assert_no_leaks(g)
        number = g.turn.number
        if number == 2:
            g.join("Zed")
        g.do(c.RequestSuggestions(g.giver))
        assert_no_leaks(g)
        prompt = f"quokka{number} saxophone"
        if number == 3:
            g.prompt(prompt)
            g.fail_image(f"could not draw {prompt}")
            assert_no_leaks(g)
        g.prompt(prompt)
        assert_no_leaks(g)
        g.image()
        for i, mid in enumerate(g.guessers):
            g.guess(mid, f"xyzzy{number}by{mid}")
            assert_no_leaks(g)
            g.tick(20)
            assert_no_leaks(g)
            if i == 0:
                g.guess(mid, prompt)  # solved: they may see the prompt now; the others may not
                assert_no_leaks(g)
        if g.phase == Phase.GUESSING:
            g.expire()
        assert_no_leaks(g)
        g.expire()
        steps += 1
    assert steps == 7  # 3 turns, then 4 with Zed


# ---------------------------------------------------------------- why a best guess scored so


def test_reveal_and_album_show_each_best_guess_reason():
    g, _ = explained_game(3)
    g.state.settings.rounds = 1
    g.to_guessing("zebra quartet")
    a, b = g.others()
    g.guess(a, "hot guess")
    g.expire()
    for mid in g.state.members:
        results = {r["playerId"]: r for r in view(g, mid)["turn"]["results"]}
        assert results[a]["reason"] == "hot guess ~ zebra quartet"
        assert results[b]["reason"] is None and results[b]["guess"] is None
    g.expire()
    while g.phase != Phase.FINISHED:
        g.to_guessing("lunar toaster")
        g.guess(g.others()[0], "warm guess")
        g.expire()
        g.expire()
    v = view(g, b)
    first = {x["playerId"]: x for x in v["album"][0]["bestGuesses"]}
    assert set(first[a]) == {"playerId", "name", "guess", "similarity", "points", "reason"}
    assert first[a]["reason"] == "hot guess ~ zebra quartet" and first[b]["reason"] is None
    assert all(x["reason"] for e in v["album"][1:] for x in e["bestGuesses"] if x["guess"])
    assert [r["reason"] for r in v["turn"]["results"] if r["guess"]] == ["warm guess ~ lunar toaster"]


def test_no_reason_is_seen_before_the_reveal():
    """The reason names prompt words: no view shows one while the prompt is a secret,
    not even one a state already holds (a reason is only ever read at the reveal)."""
    g, _ = explained_game(4)
    g.state.settings.rounds = 2
    shown = 0
    while g.phase != Phase.FINISHED:
        number = g.turn.number
        g.prompt(f"quokka{number} saxophone")
        g.image()
        a, b, d = g.guessers
        g.guess(a, "hot guess")
        g.guess(b, f"quokka{number} saxophone")  # solved: the others still guess
        for x in g.turn.guessers.values():
            x.reason = f"a planted reason for quokka{number}"  # as if computed early
        for step in range(2):
            assert g.phase in SECRET_PHASES
            for mid in g.state.members:
                text = json.dumps(view(g, mid))
                assert '"reason"' not in text and "~" not in text and "planted" not in text, (step, mid)
            assert_no_leaks(g)
            g.guess(d, "cold guess")
        g.expire()  # the reveal: now everyone sees why
        assert g.phase == Phase.REVEAL
        for mid in g.state.members:
            reasons = [r["reason"] for r in view(g, mid)["turn"]["results"]]
            assert f"hot guess ~ quokka{number} saxophone" in reasons
            shown += 1
        g.expire()
    assert shown == 4 * len(g.state.album)
