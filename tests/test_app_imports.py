"""Which app may import which: the apps form layers, each importing only those below it (``law``; the
outbox, ``messaging``; ``accounts``; ``registry``; ``documents``; ``cases``; the apps that use cases; and
``api``, ``web``, ``cli`` on top), so no app imports one that imports it back, directly or through others.
The booking of a case needs the case, so ``appointments`` imports ``cases`` and ``cases`` imports nothing
from ``appointments`` (a page showing both asks each). Where a lower app needs what a higher one knows, it
offers a place the higher one fills when Django readies it: the document kinds a token names
(``documents.tokens.register``), the hall's reach into a person through compliance records
(``cases.access.HALL_REACH``). The demo loader, a management command that makes data through every app as
the command line does, is not the app's code."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from tests.law.test_imports import all_imports, cycles

import exitentry

SRC = Path(exitentry.__file__).parent
APPS = sorted(path.name for path in SRC.iterdir() if (path / "__init__.py").exists())


def app_of(name: str) -> str | None:
    """The app a module name (or ``module.name``) is in, if it is in one."""
    parts = name.split(".")
    return parts[1] if parts[0] == "exitentry" and len(parts) > 1 and parts[1] in APPS else None


def app_imports(app: str) -> dict[str, list[str]]:
    """Where ``app``'s modules (migrations and management commands aside) import another app's, at the top
    or inside a function, by the app imported."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted((SRC / app).rglob("*.py")):
        if {"migrations", "management"} & set(path.parts):
            continue
        for name in sorted(all_imports(path)):
            other = app_of(name)
            if other is not None and other != app:
                found[other].append(f"{path.relative_to(SRC)}: {name}")
    return found


def test_cases_imports_nothing_from_appointments() -> None:
    assert app_imports("cases").get("appointments", []) == []


def test_no_app_imports_one_that_imports_it_back() -> None:
    imports = {app: app_imports(app) for app in APPS}
    found = cycles({app: set(imported) for app, imported in imports.items()})
    assert found == [], {f"{a} -> {b}": imports[a][b] for cycle in found for a, b in pairwise(cycle)}


def test_the_shared_modules_beside_the_apps_import_no_app_but_law() -> None:
    """A module any app may use (``read_only_admin``, ``typed_text``, ...) would otherwise carry a cycle
    past the check above; the project's settings, URLs and WSGI entry sit above every app."""
    shared = [
        path for path in sorted(SRC.glob("*.py")) if path.name not in ("settings.py", "urls.py", "wsgi.py")
    ]
    imported = [
        f"{path.name}: {name}"
        for path in shared
        for name in sorted(all_imports(path))
        if app_of(name) not in (None, "law")
    ]
    assert imported == []
