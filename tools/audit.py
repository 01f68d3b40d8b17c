"""The dependency scan (`make audit`): known vulnerabilities in what imprompt ships.

Two parts, each judged on its own:

- python: the server's runtime dependencies (the closure of `imprompt`'s requirements,
  no extras: test tools are not shipped), pinned to the versions installed in this
  environment, checked by pip-audit against the advisories PyPI's JSON API serves.
- npm: the client's runtime dependencies (package-lock.json without devDependencies,
  i.e. what the Vite bundle contains), checked by `npm audit --omit=dev`.

Every known vulnerability fails the scan unless `tools/audit-exceptions.toml` lists it
with a reason and a date until which the exception holds. A part whose advisory source
cannot be reached fails too ("NOT CHECKED"): an unreachable source is never read as
"no vulnerabilities". The only way past it is an `[[unreachable]]` entry in the same file,
with its reason and date, and the scan still prints that the part was not checked.

Exit status: 0 nothing known (or only excepted), 1 a known vulnerability, 2 a part could
not be checked (or the exceptions file is wrong). Every line starts with `audit:`.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import datetime as dt
import importlib.metadata as metadata
import json
import re
import shutil
import subprocess  # noqa: S404 - runs pip-audit and npm, fixed argument lists, no shell
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
EXCEPTIONS = ROOT / "tools" / "audit-exceptions.toml"
CLIENT = ROOT / "client"
PYPI = "https://pypi.org"
TIMEOUT = 180  # seconds for each scanner

CLEAN, VULNERABLE, NOT_CHECKED = 0, 1, 2


@dataclasses.dataclass(frozen=True)
class Finding:
    part: str  # "python" or "npm"
    package: str
    version: str
    id: str  # PYSEC-…, GHSA-…, CVE-…
    aliases: tuple[str, ...]
    summary: str
    fixed_in: str
    severity: str = "unknown"  # PyPI's advisories carry none; npm's do

    def ids(self) -> set[str]:
        return {self.id, *self.aliases}

    def line(self) -> str:
        aka = f" (also {', '.join(self.aliases)})" if self.aliases else ""
        fix = f"; fixed in {self.fixed_in}" if self.fixed_in else "; no fixed version yet"
        summary = " ".join(self.summary.split())[:200]
        return f"{self.part} {self.package} {self.version}: {self.id}{aka}, severity {self.severity}{fix}: {summary}"


@dataclasses.dataclass
class Part:
    name: str
    checked: int = 0  # packages checked
    findings: list[Finding] = dataclasses.field(default_factory=list)
    error: str | None = None  # why the part could not be checked at all
    unchecked: dict[str, str] = dataclasses.field(default_factory=dict)  # package -> why not
    via: str = ""  # where the advisories came from


@dataclasses.dataclass(frozen=True)
class Waiver:
    key: str  # an advisory id ([[ignore]]), a part ([[unreachable]]) or a package ([[unchecked]])
    package: str | None  # [[ignore]] only: the advisory is waived for this package alone
    reason: str
    until: dt.date


class ExceptionsError(ValueError):
    pass


# table -> the field that names what it waives
TABLES = {"ignore": "id", "unreachable": "part", "unchecked": "package"}


def load_exceptions(path: Path) -> dict[str, list[Waiver]]:
    """{table: waivers}; every entry needs a reason (a sentence) and an `until` date."""
    out: dict[str, list[Waiver]] = {table: [] for table in TABLES}
    if not path.exists():
        return out
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ExceptionsError(f"{path.name}: {exc}") from exc
    unknown = set(data) - set(TABLES)
    if unknown:
        raise ExceptionsError(f"{path.name}: unknown tables {sorted(unknown)}")
    for table, key_field in TABLES.items():
        for n, entry in enumerate(data.get(table, []), 1):
            where = f"{path.name} [[{table}]] #{n}"
            key, reason, until = entry.get(key_field), entry.get("reason"), entry.get("until")
            if not isinstance(key, str) or not key:
                raise ExceptionsError(f"{where}: needs `{key_field}`")
            if not isinstance(reason, str) or len(reason.split()) < 3:
                raise ExceptionsError(f"{where}: needs a `reason` (a sentence, not a word)")
            if not isinstance(until, dt.date) or isinstance(until, dt.datetime):
                raise ExceptionsError(f"{where}: needs `until = YYYY-MM-DD` (a date, unquoted)")
            if table == "unchecked":
                key = canonicalize_name(key)
            package = entry.get("package") if table == "ignore" else None
            out[table].append(Waiver(key, canonicalize_name(package) if package else None, reason, until))
    return out


# ---------------------------------------------------------------- python


def shipped_python(root: str = "imprompt") -> dict[str, str]:
    """{name: installed version} for `root`'s runtime requirements, transitively (no extras
    of `root`; the extras its requirements ask for, like uvicorn[standard], count)."""
    found: dict[str, str] = {}
    todo: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a requirement whose marker held but is not installed: pip would have failed
        if name != root:
            found[canonicalize_name(name)] = dist.version
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in (extras or {""})):
                todo.append((canonicalize_name(req.name), frozenset(req.extras)))
    return dict(sorted(found.items()))


def pip_audit_findings(report: dict[str, Any]) -> tuple[list[Finding], list[str]]:
    """pip-audit's JSON report -> (findings, packages it could not check)."""
    findings: list[Finding] = []
    skipped: list[str] = []
    for dep in report.get("dependencies", []):
        if dep.get("skip_reason"):
            skipped.append(f"{dep['name']}: {dep['skip_reason']}")
            continue
        for vuln in dep.get("vulns", []):
            findings.append(
                Finding(
                    part="python",
                    package=canonicalize_name(dep["name"]),
                    version=dep.get("version", "?"),
                    id=vuln["id"],
                    aliases=tuple(vuln.get("aliases") or ()),
                    summary=vuln.get("description") or "",
                    fixed_in=", ".join(vuln.get("fix_versions") or ()),
                )
            )
    return findings, skipped


def scan_python(pins: dict[str, str]) -> Part:
    """pip-audit first; where PyPI refuses its per-version JSON (as on a registry proxy that
    serves only /pypi/<name>/json), PyPI's project JSON instead (see `project_advisories`)."""
    part = Part("python", checked=len(pins))
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "shipped.txt"
        requirements.write_text("".join(f"{name}=={version}\n" for name, version in pins.items()))
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            str(requirements),
            "--no-deps",  # the list is already the whole closure, pinned
            "--disable-pip",
            "--vulnerability-service",
            "pypi",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)  # noqa: S603 - fixed arguments
        except subprocess.TimeoutExpired:
            part.error = f"pip-audit did not answer within {TIMEOUT} s (is PyPI reachable?)"
            return part
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        part.error = f"pip-audit could not get PyPI's advisories (exit {done.returncode}): {last}"
        return part
    part.findings, skipped = pip_audit_findings(report)
    if skipped and len(skipped) == len(pins) and all("not found on PyPI" in s for s in skipped):
        part.via = "PyPI's project JSON, pip-audit's per-version lookups being refused"
        return project_advisories(pins, part)
    part.via = "pip-audit and PyPI's advisories"
    part.unchecked = {s.split(":", 1)[0]: s.split(":", 1)[1].strip() for s in skipped}
    return part


def _project_json(name: str, attempts: int = 3) -> dict[str, Any]:
    url = f"{PYPI}/pypi/{name}/json"
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a fixed https URL
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or attempt == attempts - 1:
                raise
        except OSError:
            if attempt == attempts - 1:
                raise
        time.sleep(1 + attempt)
    raise RuntimeError("unreachable: the loop returns or raises")


def _runs_here(requires_python: str) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(requires_python).contains(".".join(map(str, sys.version_info[:3])))
    except InvalidSpecifier:
        return True


def project_advisories(pins: dict[str, str], part: Part) -> Part:
    """PyPI's project JSON lists the advisories of the project's newest release: exact for a
    package installed at that release; a package behind it is reported as not checked."""
    try:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            projects = dict(zip(pins, pool.map(_project_json, pins), strict=True))
    except (OSError, ValueError) as exc:
        part.error = f"PyPI's project JSON could not be read: {exc}"
        return part
    for name, version in pins.items():
        project = projects[name]
        newest = project["info"]["version"]
        if newest != version:
            needs = project["info"].get("requires_python")
            held = f" (which needs Python {needs})" if needs and not _runs_here(needs) else ""
            part.unchecked[name] = (
                f"installed {version}; PyPI's project JSON lists the advisories of its newest release only, "
                f"{newest}{held}"
            )
            continue
        for vuln in project.get("vulnerabilities") or []:
            if vuln.get("withdrawn"):
                continue
            part.findings.append(
                Finding(
                    part="python",
                    package=name,
                    version=version,
                    id=vuln["id"],
                    aliases=tuple(vuln.get("aliases") or ()),
                    summary=vuln.get("summary") or vuln.get("details") or "",
                    fixed_in=", ".join(vuln.get("fixed_in") or ()),
                )
            )
    return part


# ---------------------------------------------------------------- npm


def shipped_npm(lock: dict[str, Any]) -> dict[str, str]:
    """{name: version} of the installed packages a production install keeps (no dev ones)."""
    found: dict[str, str] = {}
    for path, info in (lock.get("packages") or {}).items():
        if not path or info.get("dev") or info.get("link"):
            continue
        found[path.rsplit("node_modules/", 1)[-1]] = info.get("version", "?")
    return dict(sorted(found.items()))


_GHSA = re.compile(r"GHSA(-[0-9a-z]{4}){3}", re.I)


def npm_audit_findings(report: dict[str, Any], versions: dict[str, str]) -> list[Finding]:
    """`npm audit --json` (report version 2) -> one finding per advisory and package."""
    findings: list[Finding] = []
    for name, vuln in (report.get("vulnerabilities") or {}).items():
        for via in vuln.get("via", []):
            if not isinstance(via, dict):
                continue  # a string names the dependency that carries the advisory: listed on its own
            url = via.get("url") or ""
            match = _GHSA.search(url)
            fix = vuln.get("fixAvailable")
            findings.append(
                Finding(
                    part="npm",
                    package=name,
                    version=versions.get(name, "?"),
                    id="GHSA" + match.group(0)[4:].lower() if match else str(via.get("source", url)),
                    aliases=(),
                    summary=f"{via.get('title', '')} {url}".strip(),
                    fixed_in=f"{fix['name']} {fix['version']}" if isinstance(fix, dict) else "",
                    severity=via.get("severity") or vuln.get("severity") or "unknown",
                )
            )
    return findings


def scan_npm(client: Path) -> Part:
    lock_path = client / "package-lock.json"
    lock = json.loads(lock_path.read_text())
    versions = shipped_npm(lock)
    part = Part("npm", checked=len(versions))
    npm = shutil.which("npm")
    if npm is None:
        part.error = "npm is not installed"
        return part
    command = [npm, "audit", "--omit=dev", "--json", "--no-fund", "--no-update-notifier"]
    try:
        done = subprocess.run(command, cwd=client, capture_output=True, text=True, timeout=TIMEOUT, check=False)  # noqa: S603 - fixed arguments
    except subprocess.TimeoutExpired:
        part.error = f"npm audit did not answer within {TIMEOUT} s"
        return part
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        part.error = f"npm audit gave no report (exit {done.returncode}): {done.stderr.strip()[-300:]}"
        return part
    if "vulnerabilities" not in report:
        message = report.get("message") or (report.get("error") or {}).get("summary") or "no report"
        part.error = f"the npm advisory endpoint could not be used: {message}"
        return part
    part.findings = npm_audit_findings(report, versions)
    return part


# ---------------------------------------------------------------- judging


def judge(parts: list[Part], waivers: dict[str, list[Waiver]], today: dt.date) -> tuple[int, list[str]]:
    """The exit status and the lines to print: a known vulnerability (1) outranks something
    that could not be checked (2)."""
    lines: list[str] = []
    vulnerable = not_checked = False

    def waived(table: str, key: str, package: str | None = None) -> Waiver | None:
        found = next((w for w in waivers[table] if w.key == key and w.package in (None, package)), None)
        if found is not None and found.until < today:
            lines.append(f"audit: the {table} exception for {key} expired on {found.until}: it no longer counts")
            return None
        return found

    for part in parts:
        via = f" via {part.via}" if part.via else ""
        if part.error is not None:
            lines.append(f"audit: {part.name}: NOT CHECKED ({part.checked} shipped packages): {part.error}")
            waiver = waived("unreachable", part.name)
            if waiver is not None:
                lines.append(f"audit: {part.name}: accepted until {waiver.until} by {EXCEPTIONS.name}: {waiver.reason}")
            else:
                not_checked = True
        for package, why in part.unchecked.items():
            waiver = waived("unchecked", canonicalize_name(package))
            if waiver is not None:
                lines.append(
                    f"audit: {part.name}: {package} not checked ({why}); accepted until {waiver.until}: {waiver.reason}"
                )
            else:
                lines.append(f"audit: {part.name}: NOT CHECKED {package}: {why}")
                not_checked = True
        open_findings = 0
        for finding in part.findings:
            waiver = next((w for w in (waived("ignore", i, finding.package) for i in sorted(finding.ids())) if w), None)
            if waiver is not None:
                lines.append(f"audit: excepted until {waiver.until}: {finding.line()} -- {waiver.reason}")
                continue
            lines.append(f"audit: VULNERABLE {finding.line()}")
            open_findings += 1
        vulnerable = vulnerable or open_findings > 0
        if part.error is None and not open_findings:
            checked = part.checked - len(part.unchecked)
            lines.append(f"audit: {part.name}: {checked} shipped packages checked{via}, no known vulnerability")
    if vulnerable:
        lines.append(
            "audit: FAILED: a shipped dependency has a known vulnerability "
            "(docs/operations.md, 'A critical vulnerability is detected')"
        )
        return VULNERABLE, lines
    if not_checked:
        lines.append(
            "audit: FAILED: advisories could not be had for what is marked NOT CHECKED above "
            f"(upgrade it, or record why it is acceptable in tools/{EXCEPTIONS.name})"
        )
        return NOT_CHECKED, lines
    lines.append("audit: passed")
    return CLEAN, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["python", "npm"], action="append", help="scan only this part")
    parser.add_argument(
        "--pin", action="append", default=None, metavar="NAME==VERSION", help="scan these pins instead of imprompt's"
    )
    parser.add_argument("--exceptions", type=Path, default=EXCEPTIONS)
    args = parser.parse_args(argv)
    try:
        waivers = load_exceptions(args.exceptions)
    except ExceptionsError as exc:
        print(f"audit: FAILED: {exc}")
        return NOT_CHECKED
    wanted = args.part or ["python", "npm"]
    parts: list[Part] = []
    if "python" in wanted:
        pins = dict(p.split("==", 1) for p in args.pin) if args.pin else shipped_python()
        parts.append(scan_python(pins))
    if "npm" in wanted:
        parts.append(scan_npm(CLIENT))
    status, lines = judge(parts, waivers, dt.datetime.now(dt.UTC).date())
    print("\n".join(lines), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
