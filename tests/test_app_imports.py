"""Which app may import which: the booking of a case needs the case, so ``appointments`` imports ``cases``
and ``cases`` imports nothing from ``appointments`` (a page showing both asks each). The demo loader, a
management command that makes data through every app as the command line does, is not the app's code."""

from __future__ import annotations

from pathlib import Path

from tests.law.test_imports import all_imports

import exitentry

SRC = Path(exitentry.__file__).parent


def imports_of(app: str, other: str) -> list[str]:
    """Where ``app``'s modules (migrations and management commands aside) import ``other``'s, at the top
    or inside a function."""
    return sorted(
        f"{path.relative_to(SRC)}: {name}"
        for path in (SRC / app).rglob("*.py")
        if not {"migrations", "management"} & set(path.parts)
        for name in all_imports(path)
        if name == f"exitentry.{other}" or name.startswith(f"exitentry.{other}.")
    )


def test_cases_imports_nothing_from_appointments() -> None:
    assert imports_of("cases", "appointments") == []
