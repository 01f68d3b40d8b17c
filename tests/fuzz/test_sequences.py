"""Random sequences of events from several clients in one room, on a real server: joins,
leaves, drops and resumes, kicks and vote kicks, settings, starts, prompts, guesses,
chat, time passing (the test clock, so phases really advance), and any event with a
hostile payload. After every step: each answer was `{ok: true, ...}` or a documented
error code, the server logged no error or traceback, the room passes `check_room`, the
sockets' seats agree with the room, and no view a client received showed a prompt it
should not have seen."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from imprompt.game.state import RoomState
from tests.support.players import Player

from .harness import EVENT_NAMES, Harness, answer_problem
from .invariants import Memory, check_room, check_sockets
from .payloads import args, text
from .profile import REACHED, SEQUENCES, TRIED

MAX_CLIENTS = 5
MAX_FRAME = 15_000  # the transport drops messages over 16 KiB (docs/protocol.md)
PROMPTS = ["sleepy cat", "red kite", "a cat on a skateboard", "blue whale"]
QUICK = {"rounds": 2, "promptSeconds": 15, "guessSeconds": 20, "hints": True}
SECRET_PHASES = ("prompting", "generating", "guessing")

HARNESS: Harness | None = None


class Client:
    def __init__(self, player: Player, name: str) -> None:
        self.player, self.name = player, name
        self.checked = 0  # views already checked for leaks


class RoomSequences(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        assert HARNESS is not None
        self.h = HARNESS
        self.clients: list[Client] = []
        self.dropped: list[tuple[str, str]] = []  # (name, token) of seats whose socket dropped
        self.code: str | None = None
        self.memory = Memory()
        self.prompts: dict[tuple[int, int], str] = {}  # (game, turn) -> the prompt, once known
        self.steps = 0

    # ------------------------------------------------------------ helpers

    def run(self, coro: Any) -> Any:
        return self.h.run(coro)

    def call(self, client: Client, event: str, payload: Any = None) -> dict:
        payload = {} if payload is None else payload
        if len(json.dumps([event, payload])) > MAX_FRAME:  # dropped by the transport: never answered
            return {"ok": False, "error": {"code": "too_big"}}
        self.steps += 1
        reply = self.run(client.player.sio.call(event, payload, timeout=10))
        problem = answer_problem(reply)
        assert problem is None, f"{event} {payload!r:.200}: {problem}"
        return reply

    @staticmethod
    def choose(data: st.DataObject, items: list[Any], label: str) -> Any:
        """One of `items`. The draw's bounds never depend on the server's state: a replay whose
        room turned out otherwise must still draw alike (hypothesis refuses it otherwise)."""
        return items[data.draw(st.integers(0, 999), label=label) % len(items)]

    def pick(self, data: st.DataObject) -> Client:
        return self.choose(data, self.clients, "client")

    def member_ids(self) -> list[str]:
        state = self.state()
        return list(state.members) if state is not None else []

    def state(self) -> RoomState | None:
        if self.code is None:
            return None
        return self.run(self.h.app.services.rooms.store.load(self.code))

    # ------------------------------------------------------------ rules

    @initialize()
    def host(self) -> None:
        TRIED["sequences"] += 1
        player = self.run(self.h.player())
        client = Client(player, "Host")
        self.clients.append(client)
        reply = self.call(client, "room:create", {"name": "Host", "settings": QUICK})
        assert reply["ok"], reply
        self.code = reply["code"]
        player._seat(reply)
        for name in ("Guest", "Other"):  # enough players to start: the sequence can reach every phase
            guest = Client(self.run(self.h.player()), name)
            self.clients.append(guest)
            joined = self.call(guest, "room:join", {"code": self.code, "name": name})
            assert joined["ok"], joined
            guest.player._seat(joined)

    def _play(self) -> None:
        """What a sensible client does next in this phase: the game moves on."""
        state = self.state()
        if state is None or not self.clients:
            return
        by_id = {c.player.id: c for c in self.clients}
        phase = state.phase.value
        if phase in ("lobby", "finished"):
            host = by_id.get(state.host_id)
            if host is not None:
                self.call(host, "game:start" if phase == "lobby" else "game:new")
        elif phase == "prompting" and state.turn and state.turn.giver_id in by_id:
            self.call(by_id[state.turn.giver_id], "prompt:submit", {"text": PROMPTS[state.turn.number % len(PROMPTS)]})
        elif phase == "guessing" and state.turn and state.turn.prompt:
            unsolved = [by_id[m] for m, g in state.turn.guessers.items() if m in by_id and not g.solved]
            self.call((unsolved or self.clients)[0], "guess:submit", {"text": state.turn.prompt})
        else:
            self.run(self.h.advance(9))

    # the same step five times over: the rule is drawn as often as five others
    @rule()
    def play(self) -> None:
        self._play()

    @rule()
    def play_on(self) -> None:
        self._play()

    @rule()
    def play_more(self) -> None:
        self._play()

    @rule()
    def play_again(self) -> None:
        self._play()

    @rule()
    def play_still(self) -> None:
        self._play()

    @precondition(lambda self: len(self.clients) < MAX_CLIENTS)
    @rule(
        name=st.one_of(st.sampled_from(["Ann", "Bob", "Cy", "ann", "Аnn", "Dee"]), text),
        spectator=st.booleans(),
        code=st.one_of(st.none(), st.none(), st.none(), text),  # None: this room's code
    )
    def join(self, name: str, spectator: bool, code: str | None) -> None:
        player = self.run(self.h.player())
        client = Client(player, name)
        self.clients.append(client)
        code = self.code if code is None else code
        reply = self.call(client, "room:join", {"code": code, "name": name, "spectator": spectator})
        if reply["ok"] and reply["code"] == self.code:
            player._seat(reply)

    @precondition(lambda self: self.clients)
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        self.call(self.pick(data), "room:leave")

    @precondition(lambda self: self.clients)
    @rule(data=st.data())
    def drop(self, data: st.DataObject) -> None:
        client = self.pick(data)
        self.clients.remove(client)
        if client.player.token:
            self.dropped.append((client.name, client.player.token))
        self.run(client.player.close())

    @precondition(lambda self: self.dropped and len(self.clients) < MAX_CLIENTS)
    @rule(data=st.data())
    def resume(self, data: st.DataObject) -> None:
        name, token = self.choose(data, self.dropped, "seat")
        player = self.run(self.h.player())
        client = Client(player, name)
        self.clients.append(client)
        reply = self.call(client, "room:resume", {"code": self.code, "token": token})
        if reply["ok"]:
            player._seat(reply)
            player.token = token

    @precondition(lambda self: self.clients)
    @rule(data=st.data())
    def resume_again(self, data: st.DataObject) -> None:
        """A socket resumes a seat (its own, another's, or a made-up one) while it may hold one."""
        client = self.pick(data)
        tokens = [t for _, t in self.dropped] + [c.player.token for c in self.clients if c.player.token]
        token = self.choose(data, tokens or ["x" * 8], "token")
        if data.draw(st.booleans(), label="made up"):
            token = data.draw(st.text(min_size=8, max_size=20), label="made-up token")
        self.call(client, "room:resume", {"code": self.code, "token": token})

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), event=st.sampled_from(["player:kick", "player:votekick", "player:unvotekick"]))
    def kick(self, data: st.DataObject, event: str) -> None:
        target = self.choose(data, [*self.member_ids(), "p0000000000"], "target")
        self.call(self.pick(data), event, {"playerId": target})

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), ready=st.booleans())
    def ready(self, data: st.DataObject, ready: bool) -> None:
        self.call(self.pick(data), "player:ready", {"ready": ready})

    @precondition(lambda self: self.clients)
    @rule(
        data=st.data(), event=st.sampled_from(["game:start", "game:start", "game:new", "room:sync", "prompt:suggest"])
    )
    def plain(self, data: st.DataObject, event: str) -> None:
        self.call(self.pick(data), event)

    @precondition(lambda self: self.clients)
    @rule(data=st.data())
    def settings(self, data: st.DataObject) -> None:
        patch = data.draw(st.one_of(st.just(QUICK), st.just({"rounds": 2}), st.just({"maxPlayers": 2})))
        self.call(self.pick(data), "room:settings", patch)

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), prompt=st.one_of(st.sampled_from(PROMPTS), text))
    def submit_prompt(self, data: st.DataObject, prompt: str) -> None:
        state = self.state()
        givers = [c for c in self.clients if state and state.turn and c.player.id == state.turn.giver_id]
        client = self.choose(data, givers + self.clients, "writer")
        self.call(client, "prompt:submit", {"text": prompt})

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), right=st.booleans(), guess=text)
    def guess(self, data: st.DataObject, right: bool, guess: str) -> None:
        state = self.state()
        prompt = state.turn.prompt if state and state.turn else None
        self.call(self.pick(data), "guess:submit", {"text": prompt if right and prompt else guess})

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), line=st.one_of(text, st.just("is it a sleepy cat?")))
    def chat(self, data: st.DataObject, line: str) -> None:
        self.call(self.pick(data), "chat:send", {"text": line})

    @rule(seconds=st.sampled_from([1, 3, 9, 16, 21, 31, 61, 125]))
    def time_passes(self, seconds: float) -> None:
        self.steps += 1
        self.run(self.h.advance(seconds))

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), event=st.sampled_from(EVENT_NAMES))
    def anything(self, data: st.DataObject, event: str) -> None:
        arguments = data.draw(args(event), label="arguments")
        if len(json.dumps([event, *arguments])) > MAX_FRAME:
            return
        client = self.pick(data)
        payload = arguments[0] if len(arguments) == 1 else (arguments or None)
        self.steps += 1
        if payload is None:
            reply = self.run(client.player.sio.call(event, timeout=10))
        else:
            reply = self.run(client.player.sio.call(event, payload, timeout=10))
        problem = answer_problem(reply)
        assert problem is None, f"{event} {arguments!r:.200}: {problem}"

    # ------------------------------------------------------------ invariants

    @invariant()
    def the_room_keeps_its_rules(self) -> None:
        self.run(asyncio.sleep(0.01))  # the views this step pushed arrive
        bad = self.h.new_log_problems()
        assert not bad, f"the server logged: {bad[:3]}"
        state = self.state()
        rooms: dict[str, RoomState] = {}
        if state is not None:
            rooms[state.code] = state
            REACHED[state.phase.value] += 1
            check_room(state, self.h.server.clock(), self.memory)
            if state.turn is not None and state.turn.prompt:
                self.prompts[(state.game, state.turn.number)] = state.turn.prompt
        check_sockets(self.run(self.sessions()), rooms)
        for client in self.clients:
            self.no_leak(client)

    async def sessions(self) -> dict[str, tuple[str, str]]:
        sio = self.h.app.services.sio
        seats = {}
        for sid, _ in list(sio.manager.get_participants("/", None)):
            try:
                session = await sio.get_session(sid)
            except KeyError:
                continue
            if session.get("code"):
                seats[sid] = (session["code"], session["member"])
        return seats

    def no_leak(self, client: Client) -> None:
        views = client.player.views
        fresh, client.checked = views[client.checked :], len(views)
        for view in fresh:
            turn = view.get("turn")
            if view["phase"] not in SECRET_PHASES or not turn or turn["giverId"] == view["you"]["id"]:
                continue
            assert turn.get("prompt") is None, f"a guesser's view shows the prompt in {view['phase']}"
            prompt = self.prompts.get((view["game"], turn["number"]))
            if prompt and len(prompt) > 3:
                names = {m["name"] for m in view["members"]}
                others = {**view, "turn": {k: v for k, v in turn.items() if k != "yours"}}  # not their own guesses
                assert prompt in names or prompt not in json.dumps(others, ensure_ascii=False), (
                    f"{view['you']['id']}'s view shows the prompt {prompt!r} in {view['phase']}"
                )

    def teardown(self) -> None:
        for client in self.clients:
            self.run(client.player.close())
        TRIED["sequence_steps"] += self.steps


def test_random_sequences_of_events_keep_the_room_sound(harness: Harness) -> None:
    global HARNESS
    HARNESS = harness
    try:
        state_machine = RoomSequences.TestCase
        state_machine.settings = SEQUENCES
        state_machine().runTest()
    finally:
        HARNESS = None


pytestmark = pytest.mark.protocol
