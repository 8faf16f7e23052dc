"""The source documents the law core encodes, and the Citation every rule and answer carries.

Each source is a seed file in ``shared/seeds`` (the Beijing guides and the national Regulations) or a
named public instrument outside the seeds (the State Council holiday notices, the Civil Code's rules on
counting periods). A citation names the source and the article or section, so every answer can say why;
people read it by its ``label`` (the document's title and the article, in their language), never by the
seed file's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from exitentry.law import citing
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
    short_title: Text | None = None  # the name people know it by, where the full title is long
    sections: tuple[tuple[str, str], ...] = ()  # (English heading or remark, its Chinese name)


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule or an answer comes from: a source and the article or section within it."""

    source: str
    section: str

    def __str__(self) -> str:
        return self.label.en

    @property
    def label(self) -> Text:
        """What people read: "Regulations …, Art. 18" / 《中华人民共和国外国人入境出境管理条例》第十八条."""
        return citing.label(source(self.source), self.section)

    def as_dict(self) -> dict[str, str | None]:
        src = source(self.source)
        label = citing.label(src, self.section)
        return {
            "source": self.source,
            "section": self.section,
            "seed_file": src.seed_file,
            "title_en": src.title.en,
            "title_zh": src.title.zh,
            "label_en": label.en,
            "label_zh": label.zh,
        }


class UnknownSource(LookupError):
    """A citation names a source the catalog does not list."""


UnnamedSection = citing.UnnamedSection


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
    """A citation, checked against the catalog's list of sources and the source's Chinese section names.

    ``UnknownSource`` for a source the catalog does not list, ``UnnamedSection`` for a section that
    cannot be said in Chinese (add its heading to the source's ``sections`` in sources.yaml).
    """
    src = source(source_id)
    try:
        citing.section_zh(section, dict(src.sections))
    except UnnamedSection as exc:
        raise UnnamedSection(f"{source_id}: {exc}; add it to the source's sections in sources.yaml") from None
    return Citation(source_id, section)
