"""The dependency scan (tools/audit.py): what fails it, what an exception may waive, and
one real run against PyPI for a release with published advisories."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("imprompt_audit", ROOT / "tools" / "audit.py")
assert _spec is not None and _spec.loader is not None
audit = importlib.util.module_from_spec(_spec)
sys.modules["imprompt_audit"] = audit
_spec.loader.exec_module(audit)

TODAY = dt.date(2026, 12, 1)

PIP_AUDIT_REPORT = {
    "dependencies": [
        {"name": "starlette", "version": "0.27.0", "vulns": [
            {"id": "GHSA-f96h-pmfr-66vw", "fix_versions": ["0.40.0"], "aliases": ["CVE-2024-47874"],
             "description": "multipart form fields without a filename are buffered in memory"},
        ]},
        {"name": "uvicorn", "version": "0.54.0", "vulns": []},
    ]
}  # fmt: skip

NPM_REPORT = {
    "auditReportVersion": 2,
    "vulnerabilities": {
        "engine.io-client": {
            "name": "engine.io-client", "severity": "critical", "via": [
                {"source": 1099, "name": "engine.io-client", "title": "A made-up hole",
                 "url": "https://github.com/advisories/GHSA-abcd-efgh-ijkl", "severity": "critical"},
            ],
            "fixAvailable": {"name": "socket.io-client", "version": "4.9.0"},
        },
        "socket.io-client": {"name": "socket.io-client", "severity": "critical", "via": ["engine.io-client"]},
    },
}  # fmt: skip


def waivers(**tables: list) -> dict:
    return {table: tables.get(table, []) for table in audit.TABLES}


def python_part() -> object:
    part = audit.Part("python", checked=2)
    part.findings, _ = audit.pip_audit_findings(PIP_AUDIT_REPORT)
    return part


def test_a_known_vulnerability_fails_and_says_what_to_do() -> None:
    status, lines = audit.judge([python_part()], waivers(), TODAY)
    assert status == audit.VULNERABLE
    text = "\n".join(lines)
    assert "VULNERABLE python starlette 0.27.0: GHSA-f96h-pmfr-66vw (also CVE-2024-47874)" in text
    assert "fixed in 0.40.0" in text
    assert "docs/operations.md" in lines[-1]


def test_an_exception_with_a_reason_waives_it_until_its_date() -> None:
    waiver = audit.Waiver("CVE-2024-47874", "starlette", "we never parse multipart forms", dt.date(2027, 1, 1))
    status, lines = audit.judge([python_part()], waivers(ignore=[waiver]), TODAY)
    assert status == audit.CLEAN and "excepted until 2027-01-01" in "\n".join(lines)
    status, lines = audit.judge([python_part()], waivers(ignore=[waiver]), dt.date(2027, 1, 2))
    assert status == audit.VULNERABLE and "expired on 2027-01-01" in "\n".join(lines)
    other = audit.Waiver("CVE-2024-47874", "uvicorn", "an exception for another package", dt.date(2027, 1, 1))
    assert audit.judge([python_part()], waivers(ignore=[other]), TODAY)[0] == audit.VULNERABLE


def test_an_unreachable_source_is_never_read_as_no_vulnerabilities() -> None:
    part = audit.Part("npm", checked=12, error="the npm advisory endpoint could not be used: 405")
    status, lines = audit.judge([part], waivers(), TODAY)
    assert status == audit.NOT_CHECKED
    assert lines[0].startswith("audit: npm: NOT CHECKED") and lines[-1].startswith("audit: FAILED")
    accepted = audit.Waiver("npm", None, "the proxy refuses the endpoint", dt.date(2027, 1, 1))
    status, lines = audit.judge([part], waivers(unreachable=[accepted]), TODAY)
    assert status == audit.CLEAN
    assert any("NOT CHECKED" in ln for ln in lines), "a waived part is still reported as not checked"


def test_a_package_whose_advisories_could_not_be_had_fails_unless_excepted() -> None:
    part = audit.Part("python", checked=3, unchecked={"numpy": "installed 2.4.6, newest 2.5.5"})
    assert audit.judge([part], waivers(), TODAY)[0] == audit.NOT_CHECKED
    held = audit.Waiver("numpy", None, "held back until the similarity bench is rerun", dt.date(2027, 1, 1))
    assert audit.judge([part], waivers(unchecked=[held]), TODAY)[0] == audit.CLEAN


def test_a_vulnerability_outranks_what_could_not_be_checked() -> None:
    npm = audit.Part("npm", checked=12, error="unreachable")
    assert audit.judge([python_part(), npm], waivers(), TODAY)[0] == audit.VULNERABLE


def test_npm_findings_name_the_advisory_severity_and_fix() -> None:
    findings = audit.npm_audit_findings(NPM_REPORT, {"engine.io-client": "6.6.8"})
    assert len(findings) == 1  # socket.io-client only carries engine.io-client's advisory
    (finding,) = findings
    assert (finding.package, finding.version, finding.id, finding.severity) == (
        "engine.io-client",
        "6.6.8",
        "GHSA-abcd-efgh-ijkl",
        "critical",
    )
    assert "socket.io-client 4.9.0" in finding.line()


def test_the_shipped_sets_leave_test_tools_out() -> None:
    python = audit.shipped_python()
    assert {"starlette", "uvicorn", "python-socketio", "sqlalchemy"} <= set(python)
    assert not {"pytest", "ruff", "mypy", "schemathesis", "pip-audit", "playwright"} & set(python)
    import json

    npm = audit.shipped_npm(json.loads((ROOT / "client" / "package-lock.json").read_text()))
    assert {"react", "react-dom", "socket.io-client"} <= set(npm)
    assert not {"vite", "vitest", "typescript", "jsdom"} & set(npm)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[ignore]]\nid = "CVE-1"\nuntil = 2027-01-01\n', "reason"),
        ('[[ignore]]\nid = "CVE-1"\nreason = "fine"\nuntil = 2027-01-01\n', "reason"),
        ('[[ignore]]\nid = "CVE-1"\nreason = "not reachable from our code"\n', "until"),
        ('[[ignore]]\nid = "CVE-1"\nreason = "not reachable from our code"\nuntil = "2027-01-01"\n', "until"),
        ('[[ignroe]]\nid = "CVE-1"\n', "unknown"),
    ],
)
def test_an_exception_needs_a_reason_and_an_end_date(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "exceptions.toml"
    path.write_text(text)
    with pytest.raises(audit.ExceptionsError, match=problem):
        audit.load_exceptions(path)


def test_the_committed_exceptions_file_is_well_formed() -> None:
    loaded = audit.load_exceptions(audit.EXCEPTIONS)
    assert all(w.reason for table in loaded.values() for w in table)


def test_a_real_scan_of_a_release_with_published_advisories_does_not_pass() -> None:
    """starlette 0.27.0 has published advisories. Where PyPI serves per-version JSON the scan
    names them (exit 1); where only project JSON is served it cannot vouch for an old
    release (exit 2). It never passes."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "audit.py"), "--part", "python", "--pin", "starlette==0.27.0"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode in (audit.VULNERABLE, audit.NOT_CHECKED), done.stdout + done.stderr
    assert "starlette" in done.stdout and "audit: FAILED" in done.stdout, done.stdout
