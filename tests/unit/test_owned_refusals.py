"""A refused command leaves an owned room exactly as it was (rules/apply.py, `owned=True`).

MemoryStore writes a room's JSON only when something needs it (rooms/store.py), so after
a refusal there is no text to go back to: the room object itself must be the last save.
This drives random games (test_rules_properties.Driver) with every command of the
command table, in every phase, also right after a deadline passed, and checks each
command twice: on a copy with `owned=True` (the service's way) and the pure way."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imprompt.game import commands as c
from imprompt.game.rules import COMMANDS, apply

from .test_rules_properties import ENV, EXAMPLES, MAX_STEPS, Driver

SEEN: dict[type, list[int]] = {}  # command type -> [accepted, refused]


class OwnedDriver(Driver):
    def __init__(self, data) -> None:
        super().__init__(data)
        # the review step, so that picking and redrawing pictures get accepted too
        choices = data.draw(st.integers(1, 3), label="image choices")
        review = data.draw(st.booleans(), label="review")
        self.state.settings = self.state.settings.model_copy(update={"image_choices": choices, "image_review": review})

    def sender(self) -> str:
        """The host or the writer (whose commands these mostly are), or anyone."""
        s = self.state
        return self.pick([x for x in (s.host_id, s.turn and s.turn.giver_id) if x] + [self.any_id()], "sender")

    def step(self) -> None:
        roll = self.data.draw(st.integers(0, 9), label="owned step")
        if roll == 0:
            # time passes with no Tick: the next command meets a passed deadline first
            self.pass_time()
            self.run(self.random_command())
        elif roll == 1:
            self.run(self.rarer_command())
        else:
            super().step()

    def rarer_command(self) -> c.Command:
        """The commands of the table that Driver seldom or never sends."""
        mid = self.sender()
        kind = self.data.draw(st.integers(0, 8), label="rarer")
        if kind == 0:
            return c.WatchScreen(f"s{self.fresh()}", self.new_sid())
        if kind == 1:
            text = self.pick(["", "not a pack", "a red kite\nsleepy cat\ntall tree\nblue moon\nhot soup"], "pack")
            return c.ImportPack(mid, text, self.pick([None, "mine"], "pack name"))
        if kind == 2:
            return c.PickImage(mid, self.data.draw(st.integers(-1, 4), label="index"))
        if kind == 3:
            return c.RegenerateImage(mid, self.data.draw(st.booleans(), label="reject"))
        if kind == 4:
            return c.StepAlbum(mid, self.data.draw(st.integers(-1, 5), label="album"))
        if kind == 5:
            return c.UnvoteKick(mid, self.any_id())
        if kind == 6:
            turn, attempt = self.pick(self.jobs or [(1, 0)], "job")
            return c.ImageFailed(turn, attempt, "late failure")
        if kind == 7:
            return c.Leave(mid)
        return c.Tick()

    def run(self, cmd: c.Command) -> None:
        owned = self.state.model_copy(deep=True)
        before = owned.model_dump()
        out = apply(owned, cmd, self.now, ENV, owned=True)
        pure = apply(self.state, cmd, self.now, ENV)
        counts = SEEN.setdefault(type(cmd), [0, 0])
        if out.error is not None:
            counts[1] += 1
            assert owned.model_dump() == before, f"refused {cmd} changed the owned room"
            assert pure.error is not None and pure.error.code == out.error.code, cmd
        else:
            counts[0] += 1
            assert pure.error is None, cmd
            assert out.state.model_dump() == pure.state.model_dump(), cmd
            assert out.effects == pure.effects and out.audience == pure.audience, cmd
        super().run(cmd)


def play(data) -> None:
    driver = OwnedDriver(data)
    for _ in range(data.draw(st.integers(10, MAX_STEPS), label="steps")):
        if driver.state.closed:
            break
        driver.step()


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.data())
def test_refused_commands_leave_an_owned_room_untouched(data):
    play(data)


def test_every_command_of_the_table_was_refused():
    """Games like the property's see the whole table, each kind refused at least once.
    Never refused: a Tick, a Disconnect (an unknown socket is simply ignored), a big
    screen (only past MAX_SCREENS)."""
    SEEN.clear()
    settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )(given(st.data())(play))()
    assert set(SEEN) == set(COMMANDS), set(COMMANDS) - set(SEEN)
    never_refused = {t.__name__ for t, (_, refused) in SEEN.items() if not refused}
    assert never_refused <= {"Tick", "Disconnect", "WatchScreen"}, never_refused
