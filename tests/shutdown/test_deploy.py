"""The deployment files hold together. Docker cannot run on these machines, so the
Dockerfile is checked for structure: its build steps are Makefile rules CI runs, it
copies only what the build context has, and it runs unprivileged with a health check."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import yaml

from imprompt.config import Settings
from imprompt.data.db import async_url

ROOT = Path(__file__).resolve().parents[2]


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out, buf = [], ""
    for line in path.read_text().splitlines():
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        buf += line.rstrip("\\").strip() + " "
        if not line.rstrip().endswith("\\"):
            word, _, rest = buf.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
            buf = ""
    return out


def stages(steps: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    found: list[list[tuple[str, str]]] = []
    for step in steps:
        if step[0] == "FROM":
            found.append([])
        if found:
            found[-1].append(step)
    return found


def ignored(path: str, patterns: list[str]) -> bool:
    result = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        # Patterns are anchored at the context root, as Docker reads them ("data" is /data only).
        hit = any(fnmatch.fnmatch(candidate, pattern) for candidate in _prefixes(path))
        if hit:
            result = not negate
    return result


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def test_dockerfile_is_multi_stage_and_builds_with_the_makefile() -> None:
    steps = instructions(ROOT / "deploy" / "Dockerfile")
    node, python, final = stages(steps)
    assert "NODE_IMAGE" in node[0][1] and "AS client" in node[0][1]
    assert "PYTHON_IMAGE" in python[0][1] and "AS python" in python[0][1]
    args = [a for w, a in steps if w == "ARG"]
    assert any(a.startswith("PYTHON_IMAGE=python:3.11-slim") for a in args)

    targets = []
    for stage in (node, python):
        for word, args in stage:
            if word == "RUN":
                targets += re.findall(r"\bmake\s+([^\s&;|]+)", args)
    assert targets == ["client/dist/index.html", ".venv/.installed"]
    for target in targets:  # they are rules of the Makefile that `make test` (CI) runs
        dry = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True)
        assert dry.returncode == 0, dry.stderr
        assert "No rule" not in dry.stderr

    words = [w for w, _ in final]
    user = next(args for w, args in final if w == "USER")
    assert user.split(":")[0] not in ("root", "0")
    assert words.index("USER") < words.index("CMD")
    cmd = json.loads(next(args for w, args in final if w == "CMD"))  # exec form: a JSON array
    assert cmd == ["imprompt", "serve"]
    health = next(args for w, args in final if w == "HEALTHCHECK")
    assert json.loads(health[health.index("CMD") + 3 :].strip())[0] == "python" and "/livez" in health
    assert "EXPOSE" in words and ("STOPSIGNAL", "SIGTERM") in final
    env = " ".join(args for w, args in final if w == "ENV")
    assert "APP_ENV=production" in env and "DATABASE_URL=sqlite:////app/data/imprompt.db" in env


def test_dockerfile_copies_only_what_the_context_has() -> None:
    patterns = [
        ln.strip() for ln in (ROOT / ".dockerignore").read_text().splitlines() if ln.strip() and not ln.startswith("#")
    ]
    for must in (".git", ".venv", "client/node_modules", "data", ".env"):
        assert ignored(must, patterns), f".dockerignore should exclude {must}"
    for word, args in instructions(ROOT / "deploy" / "Dockerfile"):
        if word != "COPY" or "--from=" in args:
            continue
        *sources, _dest = shlex.split(args)
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
            assert not ignored(source, patterns), f"COPY {source}: excluded by .dockerignore"
    for needed in ("src/imprompt/data/migrations/env.py", "client/package-lock.json", "client/src"):
        assert not ignored(needed, patterns)


def test_railway_checks_readiness_and_drains_longer_than_the_grace() -> None:
    config = tomllib.loads((ROOT / "railway.toml").read_text())
    assert (ROOT / config["build"]["dockerfilePath"]).is_file()
    deploy = config["deploy"]
    assert deploy["healthcheckPath"] == "/readyz"
    assert deploy["restartPolicyType"] in ("ON_FAILURE", "ALWAYS")
    grace = Settings.variables()["SHUTDOWN_GRACE_SECONDS"][1].default
    assert deploy["drainingSeconds"] > grace


def test_compose_runs_the_app_with_postgresql_and_redis() -> None:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"app", "postgres", "redis"}
    app = services["app"]
    assert (ROOT / "deploy" / app["build"]["context"] / app["build"]["dockerfile"]).resolve() == (
        ROOT / "deploy" / "Dockerfile"
    ).resolve()
    env = app["environment"]
    known = set(Settings.variables())
    assert set(env) <= known, f"unknown settings in compose: {set(env) - known}"
    database = re.sub(r"\$\{[^}]*:-([^}]*)\}", r"\1", env["DATABASE_URL"])
    assert async_url(database).drivername == "postgresql+asyncpg"
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert int(app["stop_grace_period"].rstrip("s")) > float(env["SHUTDOWN_GRACE_SECONDS"])
    assert set(app["depends_on"]) == {"postgres", "redis"}
    for name in ("postgres", "redis"):
        assert "healthcheck" in services[name]


def test_procfile_serves_and_migrates() -> None:
    lines = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert lines["web"].split() == ["imprompt", "serve"]
    assert lines["release"].split() == ["imprompt", "db", "upgrade"]


def test_operations_doc_lists_every_setting() -> None:
    text = (ROOT / "docs" / "operations.md").read_text()
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)=", text))
    missing = set(Settings.variables()) - documented
    assert not missing, f"docs/operations.md 'Environment variables' lacks: {sorted(missing)}"
