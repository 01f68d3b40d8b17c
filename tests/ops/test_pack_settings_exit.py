"""`imprompt serve` with a bad PROMPT_PACKS_DIR: exit status 2 and one message naming
each bad file and line, before anything starts (like every other bad setting)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.ports import free_port
from tests.support.process import clean_env, imprompt_command


def test_a_bad_pack_stops_serve_naming_the_file_and_line(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "classroom.txt").write_text("a red apple\na school bus\n\n1234\na red apple\n")
    (packs / "ok.json").write_text('{"name": "OK", "prompts": ["a b", "c d", "e f"]}')
    done = subprocess.run(
        [*imprompt_command(), "serve", "--host", "127.0.0.1", "--port", str(free_port())],
        cwd=tmp_path,
        env=clean_env(APP_ENV="test", IMAGE_DIR=str(tmp_path / "images"), PROMPT_PACKS_DIR=str(packs)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert done.stderr == (
        "imprompt: invalid configuration:\n"
        "  PROMPT_PACKS_DIR: classroom.txt: line 4: A prompt needs at least one word.\n"
        "  PROMPT_PACKS_DIR: classroom.txt: line 5: the same prompt as line 1\n"
    )
    assert not (tmp_path / "images").exists()
