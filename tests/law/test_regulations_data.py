"""The Regulations' data files read the same under every YAML loader, with whole bilingual texts.

An unquoted comma in a flow mapping ({en: a, b, zh: c}) cuts the English at the comma and leaves the rest
as a stray key that Text.parse does not notice; the pure-Python and C loaders also disagree on some plain
scalars. Both mistakes are caught here, for every file this topic owns."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from exitentry.law.catalog import CATALOG_DIR

FILES = (
    CATALOG_DIR / "procedures" / "regulations.yaml",
    CATALOG_DIR / "facts" / "regulations.yaml",
    CATALOG_DIR / "visas.yaml",
    CATALOG_DIR / "grounds.yaml",
    CATALOG_DIR / "unit_reports.yaml",
)


def texts(node: object):
    if isinstance(node, dict):
        if "en" in node or "zh" in node:
            yield node
        for value in node.values():
            yield from texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from texts(value)


@pytest.mark.parametrize(
    "path", FILES, ids=lambda p: f"{p.parent.name}/{p.name} reads the same with both loaders"
)
def test_the_pure_python_and_c_loaders_agree(path: Path) -> None:
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML has no C loader here, so the catalog reads with the pure-Python one alone")
    text = path.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=yaml.SafeLoader) == yaml.load(text, Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"every text in {p.parent.name}/{p.name} is whole")
def test_every_bilingual_text_has_exactly_english_and_chinese(path: Path) -> None:
    broken = [t for t in texts(yaml.safe_load(path.read_text(encoding="utf-8"))) if set(t) != {"en", "zh"}]
    assert broken == []
