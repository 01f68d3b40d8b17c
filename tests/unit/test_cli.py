"""The `imprompt` command line."""

from __future__ import annotations

import io
import json

from imprompt.cli import main


def test_score_prints_similarity_points_and_explanation(capsys) -> None:
    assert main(["score", "angry cat", "furious kitty"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["prompt"] == "angry cat" and out["guess"] == "furious kitty"
    assert 0 <= out["similarity"] <= 100 and out["points"] >= 0
    assert {m["prompt_word"] for m in out["matches"]} >= {"angry", "cat"}


def test_score_tsv_reads_lines_and_reports_bad_ones(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("banana boat\toffice meeting\nno tab here\n\nred car\tred car\n"))
    assert main(["score", "--tsv"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 3
    assert lines[0]["similarity"] <= 15
    assert lines[1] == {"line": 2, "error": "expected prompt<TAB>guess"}
    assert lines[2]["similarity"] == 100 and lines[2]["warmth"] == "got it"


def test_score_without_arguments_is_a_usage_error(capsys) -> None:
    assert main(["score"]) == 2
    assert "PROMPT and GUESS" in capsys.readouterr().err


def test_serve_refuses_invalid_settings(capsys, monkeypatch) -> None:
    monkeypatch.setenv("PORT", "not-a-port")
    assert main(["serve"]) == 2
    assert "PORT" in capsys.readouterr().err
