"""The source documents the law core encodes, and the Citation every rule and answer carries.

Each source is a seed file in ``shared/seeds`` (the Beijing guides and the national Regulations) or a
named public instrument outside the seeds (the State Council holiday notices, the Civil Code's rules on
counting periods). A citation names the source and the article or section, so every answer can say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from exitentry.law.text import Text


@dataclass(frozen=True, slots=True)
class Source:
    """A document the rules come from."""

    id: str
    title: Text
    seed_file: str | None  # file name in shared/seeds, or None for an instrument outside the seeds
    published: date | None
    in_force_from: date | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule or an answer comes from: a source and the article or section within it."""

    source: str
    section: str

    def __str__(self) -> str:
        src = source(self.source)
        where = src.seed_file or src.title.en
        return f"{where}, {self.section}"

    def as_dict(self) -> dict[str, str | None]:
        src = source(self.source)
        return {
            "source": self.source,
            "section": self.section,
            "seed_file": src.seed_file,
            "title_en": src.title.en,
            "title_zh": src.title.zh,
        }


class UnknownSource(LookupError):
    """A citation names a source the catalog does not list."""


@cache
def _sources() -> dict[str, Source]:
    from exitentry.law.catalog import load_sources

    return {s.id: s for s in load_sources()}


def source(source_id: str) -> Source:
    try:
        return _sources()[source_id]
    except KeyError:
        raise UnknownSource(f"no source {source_id!r} in the catalog's sources.yaml") from None


def all_sources() -> tuple[Source, ...]:
    return tuple(_sources().values())


def cite(source_id: str, section: str) -> Citation:
    """A citation, checked against the catalog's list of sources."""
    source(source_id)
    return Citation(source_id, section)
