"""The law core's modules form a layered graph: no module imports (at the top or inside a function) one
that imports it back, so the loader at the top hands every module below what it needs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import exitentry.law

LAW_DIR = Path(exitentry.law.__file__).parent
PACKAGE = "exitentry.law"


def module_name(path: Path) -> str:
    parts = path.relative_to(LAW_DIR).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


MODULES = {module_name(p): p for p in sorted(LAW_DIR.rglob("*.py"))}


def all_imports(path: Path) -> set[str]:
    """Every module (and ``module.name``) ``path`` imports anywhere in it, function-local imports included;
    not those under ``if TYPE_CHECKING:``, which only a type checker runs."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for block in ast.walk(tree):
        if isinstance(block, ast.If) and ast.unparse(block.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            block.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def imported(path: Path) -> set[str]:
    """The law modules ``path`` imports."""
    return {name for name in all_imports(path) if name in MODULES and name != PACKAGE}


def graph() -> dict[str, set[str]]:
    return {name: imported(path) - {name} for name, path in MODULES.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import path that comes back to where it started (depth-first, one per back edge)."""
    found: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = "done"

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    return found


def test_no_law_module_imports_one_that_imports_it_back() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_sees_a_cycle_through_a_function_local_import() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_reads_imports_inside_functions_but_not_those_for_the_type_checker(tmp_path: Path) -> None:
    path = tmp_path / "probe.py"
    path.write_text(
        "if TYPE_CHECKING:\n    from exitentry.law import text\n"
        "def f():\n    from exitentry.law import sources\n",
        encoding="utf-8",
    )
    assert imported(path) == {"exitentry.law.sources"}


def test_every_law_module_imports_on_its_own_in_a_fresh_interpreter() -> None:
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    for name in MODULES:
        run = subprocess.run([sys.executable, "-c", code, name], capture_output=True, text=True, check=False)
        assert run.returncode == 0, f"{name}: {run.stderr.strip().splitlines()[-1:]}"


def test_the_law_core_imports_no_django() -> None:
    users = {
        name for name, path in MODULES.items() if any(m.split(".")[0] == "django" for m in all_imports(path))
    }
    assert users == set()


def clock_reads(path: Path) -> list[str]:
    """The calls of ``date.today()``, ``datetime.now()`` and the like in ``path``, with their function."""
    found = []
    for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("today", "now", "utcnow")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in ("date", "datetime")
            ):
                found.append(getattr(function, "name", "<module>"))
    return found


def test_no_law_module_reads_the_clock_but_the_one_reader_the_apps_call() -> None:
    reads = {name: sorted(set(clock_reads(path)) - {"<module>"}) for name, path in MODULES.items()}
    assert {name: functions for name, functions in reads.items() if functions} == {
        "exitentry.law.calendar": ["beijing_now"]
    }


def test_the_clock_finder_sees_a_date_today_call(tmp_path: Path) -> None:
    path = tmp_path / "probe.py"
    path.write_text("from datetime import date\ndef f():\n    return date.today()\n", encoding="utf-8")
    assert clock_reads(path) == ["<module>", "f"]


def test_beijing_today_is_the_date_in_beijing_at_the_instant_given() -> None:
    from datetime import UTC, datetime

    from exitentry.law.calendar import beijing_today

    assert str(beijing_today(datetime(2026, 12, 31, 16, 0, tzinfo=UTC))) == "2027-01-01"
    assert str(beijing_today(datetime(2026, 12, 31, 15, 59, tzinfo=UTC))) == "2026-12-31"
