"""The data migrations on the follow-ups of deaths (compliance 0016, 0017, 0019) and on the hall a public
notice names (0021) do what they did when they were written: they read no rule of the law core (a later
change of a ground, an event, a permit type or a hall would silently change them) and write the audit through the migration state's models (a column a later
accounts migration adds does not exist yet when they run)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

FROZEN = (
    "0016_death_follow_ups",
    "0017_death_report_follow_ups",
    "0019_death_follow_ups_cite_the_paragraph",
    "0021_public_notice_hall",
)


def _imports(name: str) -> set[str]:
    path = importlib.util.find_spec(f"exitentry.compliance.migrations.{name}").origin
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


@pytest.mark.parametrize("name", FROZEN)
def test_a_data_migration_reads_no_rule_and_no_live_model(name: str) -> None:
    imported = _imports(name)
    assert not {i for i in imported if i.startswith("exitentry.law")}
    assert "exitentry.accounts.audit.record_each" not in imported
    assert not {i for i in imported if i.startswith("exitentry.") and ".models" in i}
