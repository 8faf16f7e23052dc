"""What the catalog says to the public is plain: a recorded choice is the developers' and the officers'
word (comments and docstrings keep the reasoning), never a text shown to an applicant."""

from __future__ import annotations

from exitentry.law.files import CATALOG_DIR, read_yaml

JARGON = ("recorded choice", "记录的选择", "mislabelled", "误标", "not maintained", "疑未更新")


def texts(node):
    """Every bilingual text ({en, zh}) and every cited section's wording in a loaded YAML document."""
    if isinstance(node, dict):
        if {"en", "zh"} <= set(node):
            yield str(node["en"]), str(node["zh"])
        for key, value in node.items():
            if key == "sections" and isinstance(value, dict):
                yield from ((str(k), str(v)) for k, v in value.items())
            yield from texts(value)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, str) and "(" in item:
                yield item, ""
            yield from texts(item)


def test_no_public_text_of_the_catalog_speaks_of_recorded_choices() -> None:
    said = [
        (path.name, text)
        for path in CATALOG_DIR.rglob("*.yaml")
        for pair in texts(read_yaml(path))
        for text in pair
        if any(word in text for word in JARGON)
    ]
    assert not said
