"""Prompt packs: parsing and checking (line numbers), the operator's folder, and the
rules of a room's pack and of pack-only mode (pure: state in, state out)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imprompt.config import SettingsError, load_settings
from imprompt.game import commands as c
from imprompt.game.content_filter import ContentFilter
from imprompt.game.packs import (
    MAX_PACK_PROMPTS,
    MAX_PACK_TEXT,
    Pack,
    PackError,
    load_dir,
    parse_pack,
)
from imprompt.game.rules import NOBODY, RulesEnv
from imprompt.game.state import RoomState
from imprompt.game.suggestions import BUILTIN_PACKS, THEMES
from imprompt.game.views import view_for
from tests.unit.test_rules import ENV, Game, started, table_score

FILTER = ContentFilter(["badword"])


def parse(text: str, **kwargs) -> Pack:
    return parse_pack(text, pack_id="custom", content_filter=FILTER, **kwargs)


def problems(text: str, **kwargs) -> list[str]:
    with pytest.raises(PackError) as caught:
        parse(text, **kwargs)
    return caught.value.problems


# ---------------------------------------------------------------- parsing


def test_a_list_is_one_prompt_per_line_skipping_blanks_and_comments():
    pack = parse("# my class\na cat on a bus\n\n  a dog   in a hat \n\tpizza party\n", name="Class 3B")
    assert pack.prompts == ["a cat on a bus", "a dog in a hat", "pizza party"]
    assert (pack.id, pack.name, pack.language) == ("custom", "Class 3B", "en")


def test_bad_lines_are_reported_by_their_line_number():
    text = "a cat on a bus\nthis prompt has far too many words in it\n12345\nsome badword here\nA CAT ON A BUS\nok then"
    assert problems(text, max_words=5) == [
        "line 2: Use at most 5 words (you used 9).",
        "line 3: A prompt needs at least one word.",
        "line 4: That prompt is not allowed here. Try another one.",
        "line 5: the same prompt as line 1",
    ]


def test_a_long_line_is_reported():
    assert problems("ok one\nok two\n" + "x" * 81) == ["line 3: A prompt needs 1–80 characters."]


def test_the_word_limit_is_the_one_given():
    text = "one two three\nfour five six\nseven eight nine"
    assert len(parse(text, max_words=3).prompts) == 3
    assert problems(text, max_words=2)[0] == "line 1: Use at most 2 words (you used 3)."


def test_the_json_format_with_line_numbers():
    text = json.dumps(
        {"name": "Space", "language": "fr", "prompts": ["une fusée", "un astronaute", "la lune"]}, indent=2
    )
    pack = parse(text, name="ignored")
    assert (pack.name, pack.language, pack.prompts) == ("Space", "fr", ["une fusée", "un astronaute", "la lune"])
    bad = '{\n  "name": "S",\n  "prompts": [\n    "a rocket",\n    "badword",\n    "a moon"\n  ]\n}'
    assert problems(bad) == ["line 5: That prompt is not allowed here. Try another one."]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('{"name": "x", "prompts": ["a", ', "line 1: not valid JSON"),
        ('{"prompts": "a cat"}', "prompts: a list of strings is needed"),
        ('{"prompts": ["a cat", 3, "a dog"]}', "prompts[1]: must be a string, not int"),
        ('{"prompts": ["a", "b", "c"], "extra": 1}', "unknown field 'extra'"),
        ('{"language": "english!", "prompts": ["a b", "c d", "e f"]}', "language: a language code like"),
        ('{"name": 5, "prompts": ["a b", "c d", "e f"]}', "name: must be a string"),
    ],
)
def test_json_mistakes_are_explained(text: str, needle: str):
    assert any(needle in p for p in problems(text)), problems(text)


def test_a_pack_is_capped_and_needs_three_prompts():
    many = "\n".join(f"prompt {i}" for i in range(MAX_PACK_PROMPTS + 1))
    assert problems(many)[0].startswith(f"A pack holds at most {MAX_PACK_PROMPTS} prompts")
    assert problems("one\ntwo") == ["A pack needs at least 3 prompts (this one has 2)."]
    assert problems("a" * (MAX_PACK_TEXT + 1))[0].startswith("A pack is at most 12,000 characters")


def test_the_message_shows_the_first_five_problems():
    with pytest.raises(PackError) as caught:
        parse("\n".join(["12"] * 8))
    assert str(caught.value).count("line ") == 5 and str(caught.value).endswith("and 3 more")


def test_the_builtin_themes_are_packs_in_the_same_format():
    folder = Path(__file__).parents[2] / "src/imprompt/game/data/packs"
    for name, prompts in THEMES.items():
        if name == "mixed":
            continue
        data = json.loads((folder / f"{name}.json").read_text("utf-8"))
        assert set(data) == {"name", "language", "prompts"} and data["prompts"] == prompts
    assert BUILTIN_PACKS["mixed"].prompts == THEMES["mixed"]


# ---------------------------------------------------------------- the operator's folder


def test_a_folder_of_packs(tmp_path: Path):
    (tmp_path / "classroom.txt").write_text("a red apple\na school bus\na pencil case\n")
    (tmp_path / "xmas.json").write_text(json.dumps({"name": "Christmas", "prompts": ["a snowman", "a sleigh", "elf"]}))
    (tmp_path / "README.md").write_text("not a pack")
    packs = load_dir(tmp_path, content_filter=FILTER, reserved={"mixed"})
    assert {k: (p.name, len(p.prompts)) for k, p in packs.items()} == {
        "classroom": ("classroom", 3),
        "xmas": ("Christmas", 3),
    }


def test_bad_files_are_named_with_their_lines(tmp_path: Path):
    (tmp_path / "ok.txt").write_text("a b\nc d\ne f\n")
    (tmp_path / "bad.txt").write_text("a b\n\nbadword\nc d\ne f\n")
    (tmp_path / "mixed.txt").write_text("a b\nc d\ne f\n")
    (tmp_path / "no spaces.txt").write_text("a b\nc d\ne f\n")
    with pytest.raises(PackError) as caught:
        load_dir(tmp_path, content_filter=FILTER, reserved={"mixed"})
    assert caught.value.problems == [
        "bad.txt: line 3: That prompt is not allowed here. Try another one.",
        "mixed.txt: the pack id 'mixed' is already taken",
        "no spaces.txt: a pack's file name is 1–32 lower-case letters, digits, - or _",
    ]


def test_prompt_packs_dir_is_checked_when_settings_load(tmp_path: Path):
    (tmp_path / "kids.txt").write_text("a b\nnaughty\nc d\ne f\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None, prompt_packs_dir=str(tmp_path), content_blocklist="naughty")
    assert "PROMPT_PACKS_DIR: kids.txt: line 2: That prompt is not allowed here." in str(caught.value)
    with pytest.raises(SettingsError, match="PROMPT_PACKS_DIR: no such folder"):
        load_settings(_env_file=None, prompt_packs_dir=str(tmp_path / "nope"))
    (tmp_path / "kids.txt").write_text("a b\nc d\ne f\n")
    assert list(load_settings(_env_file=None, prompt_packs_dir=str(tmp_path)).packs.packs()) == ["kids"]
    assert load_settings(_env_file=None).packs.packs() == {}


# ---------------------------------------------------------------- a room's pack (rules)

LIST = "a red apple\na school bus\na pencil case\na blue whale"
OPERATOR = Pack(id="classroom", name="Classroom", prompts=["a ruler", "a globe", "a chalkboard"])
PACK_ENV = RulesEnv(score=table_score, packs={"classroom": OPERATOR})


def test_the_host_imports_a_pack_and_it_becomes_the_rooms_pack():
    g = Game(3)
    out = g.do(c.ImportPack(g.host, LIST, "Class 3B"))
    assert (out.reply.id, out.reply.name, out.reply.size) == ("custom", "Class 3B", 4)
    assert g.state.settings.theme == "custom" and g.state.custom_pack.prompts[0] == "a red apple"
    view = view_for(g.state, "bob", g.now)
    assert view["customPack"] == {"id": "custom", "name": "Class 3B", "language": "en", "size": 4}
    assert view["settings"]["theme"] == "custom" and "a red apple" not in json.dumps(view)


def test_an_import_is_for_the_host_between_games_and_bad_lines_change_nothing():
    g = Game(3, settings={"max_words": 2})
    g.reject(c.ImportPack("bob", LIST), "not_host")
    error = g.reject(c.ImportPack(g.host, "one two\nthree four five\nsix seven\nok"), "pack_invalid")
    assert error.message == "line 2: Use at most 2 words (you used 3)."
    g.start()
    g.reject(c.ImportPack(g.host, LIST), "wrong_phase")


def test_suggestions_and_timed_out_turns_come_from_the_rooms_pack():
    g = Game(2)
    g.do(c.ImportPack(g.host, LIST))
    g.start()
    picks = g.do(c.RequestSuggestions(g.giver)).reply.suggestions
    assert set(picks) <= set(LIST.splitlines())
    g.expire()
    assert g.turn.auto_prompt and g.turn.prompt == picks[0]


def test_a_timed_out_turn_without_suggestions_draws_from_the_pack():
    g = Game(2)
    g.do(c.ImportPack(g.host, LIST))
    g.start()
    g.expire()
    assert g.turn.prompt in LIST.splitlines()


def test_an_operators_pack_is_chosen_by_id_and_copied_into_the_room():
    g = Game(2, env=PACK_ENV)
    g.reject(c.UpdateSettings(g.host, {"theme": "custom"}), "invalid_settings")  # none imported yet
    g.reject(c.UpdateSettings(g.host, {"theme": "nope"}), "invalid_settings")
    g.do(c.UpdateSettings(g.host, {"theme": "classroom"}))
    assert g.state.operator_pack == OPERATOR
    g.env = ENV  # the folder changed and the server restarted: the room plays on with its copy
    g.start()
    assert set(g.do(c.RequestSuggestions(g.giver)).reply.suggestions) == set(OPERATOR.prompts)
    g2 = Game(2, env=PACK_ENV)
    g2.do(c.UpdateSettings(g2.host, {"theme": "classroom"}))
    g2.do(c.UpdateSettings(g2.host, {"theme": "food"}))
    assert g2.state.operator_pack is None


def test_switching_away_from_the_custom_pack_keeps_it_for_later():
    g = Game(2)
    g.do(c.ImportPack(g.host, LIST))
    g.do(c.UpdateSettings(g.host, {"theme": "animals"}))
    g.do(c.UpdateSettings(g.host, {"theme": "custom"}))
    assert g.state.custom_pack is not None and g.state.settings.theme == "custom"


# ---------------------------------------------------------------- pack-only mode


def pack_only() -> Game:
    g = Game(3)
    g.do(c.ImportPack(g.host, LIST))
    g.do(c.UpdateSettings(g.host, {"pack_only": True}))
    g.start()
    return g


def test_pack_only_the_writer_picks_one_of_three():
    g = pack_only()
    choices = g.do(c.RequestSuggestions(g.giver)).reply.suggestions
    assert len(choices) == 3 and set(choices) <= set(LIST.splitlines())
    assert view_for(g.state, g.giver, g.now)["turn"]["suggestions"] == choices
    assert view_for(g.state, g.others()[0], g.now)["turn"].get("suggestions") is None
    again = g.do(c.RequestSuggestions(g.giver))
    assert again.reply.suggestions == choices and again.audience == NOBODY  # no re-roll
    g.reject(c.SubmitPrompt(g.giver, "zebra quartet"), "pack_only")
    out = g.do(c.SubmitPrompt(g.giver, choices[1]))
    assert out.reply.prompt == choices[1] and not g.turn.auto_prompt


def test_pack_only_refuses_a_prompt_before_the_choices_are_drawn():
    g = pack_only()
    g.reject(c.SubmitPrompt(g.giver, "a red apple"), "pack_only")


def test_pack_only_time_out_takes_the_first_choice():
    g = pack_only()
    choices = g.do(c.RequestSuggestions(g.giver)).reply.suggestions
    g.expire()
    assert g.turn.prompt == choices[0] and g.turn.auto_prompt


def test_pack_only_is_off_by_default_and_typed_prompts_still_work():
    g = started(2)
    assert not g.state.settings.pack_only
    g.prompt("zebra quartet")


def test_a_room_saved_before_packs_loads_with_defaults():
    g = Game(2)
    saved = json.loads(g.state.model_dump_json())
    for key in ("custom_pack", "operator_pack"):
        saved.pop(key)
    saved["settings"].pop("pack_only")
    room = RoomState.model_validate(saved)
    assert room.custom_pack is None and room.operator_pack is None and room.settings.pack_only is False
    with_pack = pack_only().state
    assert RoomState.model_validate_json(with_pack.model_dump_json()) == with_pack


def test_the_documented_example_pack_is_valid():
    text = (Path(__file__).parents[2] / "docs/example-pack.json").read_text("utf-8")
    pack = parse_pack(text, pack_id="classroom", content_filter=ContentFilter())
    assert pack.name == "Classroom" and len(pack.prompts) == 10


def test_a_small_pack_offers_its_unplayed_prompts_first():
    g = Game(2)
    g.do(c.ImportPack(g.host, LIST))  # 4 prompts
    g.do(c.UpdateSettings(g.host, {"pack_only": True, "rounds": 2}))
    g.start()
    played: list[str] = []
    for _ in range(4):
        choices = g.do(c.RequestSuggestions(g.giver)).reply.suggestions
        unplayed = [p for p in LIST.splitlines() if p not in played]
        fresh = choices[: len(unplayed)]
        assert set(fresh) <= set(unplayed) and len(set(choices)) == 3  # the unplayed ones, first
        played.append(fresh[0])
        g.play_turn(fresh[0])
    assert sorted(played) == sorted(LIST.splitlines())  # each prompt once while the pack has others
