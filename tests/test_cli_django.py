"""The database subcommands (``audit``, ``demo``) refuse a setting they cannot work with in one line.

Run as the installed console script in a fresh process, as an operator would: the settings are read
at start-up, so a missing secret key or an unreachable database is only seen there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "exitentry"
PRODUCTION = {"EXITENTRY_SECRET_KEY": "k" * 50, "EXITENTRY_AUDIT_KEY": "k1:" + "a" * 40}


def exitentry(tmp_path: Path, *argv: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("EXITENTRY_")}
    for name in ("DJANGO_SETTINGS_MODULE", "PYTEST_VERSION"):  # else the settings think a test runs
        base.pop(name, None)
    return subprocess.run(
        [SCRIPT, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**base, "EXITENTRY_DATA_DIR": str(tmp_path), **env},
    )


def one_line_refusal(proc: subprocess.CompletedProcess, command: str) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"exitentry {command}: "), proc.stderr
    return lines[0]


@pytest.mark.parametrize("argv", [("audit", "verify"), ("demo",), ("compliance", "scan")])
def test_without_a_secret_key_or_debug_a_database_command_says_so_in_one_line(tmp_path, argv) -> None:
    line = one_line_refusal(exitentry(tmp_path, *argv), argv[0])
    assert "EXITENTRY_SECRET_KEY is not set" in line


@pytest.mark.parametrize("argv", [("audit", "verify"), ("audit", "checkpoint"), ("demo",)])
def test_without_an_audit_key_or_debug_a_database_command_says_so_in_one_line(tmp_path, argv) -> None:
    line = one_line_refusal(exitentry(tmp_path, *argv, EXITENTRY_SECRET_KEY="k" * 50), argv[0])
    assert "EXITENTRY_AUDIT_KEY is not set" in line
    assert not (tmp_path / "audit_keys").exists()  # never a silent default outside development


def test_a_malformed_audit_key_is_one_line(tmp_path) -> None:
    proc = exitentry(tmp_path, "audit", "verify", **{**PRODUCTION, "EXITENTRY_AUDIT_KEY": "short"})
    assert "a key is ID:SECRET" in one_line_refusal(proc, "audit")


def test_the_demo_refuses_a_database_that_may_be_production_in_one_line(tmp_path) -> None:
    line = one_line_refusal(exitentry(tmp_path, "demo", **PRODUCTION), "demo")
    assert "DEBUG is off" in line and "--force" in line


def test_an_unreachable_database_is_one_line_naming_the_refusal(tmp_path) -> None:
    proc = exitentry(
        tmp_path,
        "audit",
        "verify",
        **PRODUCTION,
        EXITENTRY_DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
    )
    assert "the database refused" in one_line_refusal(proc, "audit")


@pytest.mark.parametrize("argv", [("centers",), ("compliance", "scan"), ("audit", "verify")])
def test_a_database_never_migrated_says_to_migrate_in_one_line(tmp_path, argv) -> None:
    line = one_line_refusal(exitentry(tmp_path, *argv, EXITENTRY_DEBUG="1"), argv[0])
    assert "not migrated" in line and "exitentry manage migrate" in line and "exitentry demo" in line
    assert "no such table" not in line
