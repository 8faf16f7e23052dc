"""The source documents the law core encodes, and the Citation every rule and answer carries.

Each source is a seed file in ``shared/seeds`` (the Beijing guides and the national Regulations) or a
named public instrument outside the seeds (the State Council holiday notices, the Civil Code's rules on
counting periods). A citation names the source and the article or section, so every answer can say why;
people read it by its ``label`` (the document's title and the article, in their language), never by the
seed file's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from exitentry.law import citing
from exitentry.law.files import CATALOG_DIR, CatalogError, calendar_files, read_yaml
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
    # the shortest name, for a citation that must fit one line (a state badge), its title on hover
    one_line: Text | None = None
    sections: tuple[tuple[str, str], ...] = ()  # (English heading or remark, its Chinese name)


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule or an answer comes from: a source and the article or section within it."""

    source: str
    section: str
    # ``as_dict``, made once: a citation and its source do not change (a reloaded catalog makes new ones).
    _dict: dict[str, str | None] | None = field(default=None, init=False, repr=False, compare=False)

    def __str__(self) -> str:
        return self.label.en

    @property
    def label(self) -> Text:
        """What people read: "Regulations …, Art. 18" / 《中华人民共和国外国人入境出境管理条例》第十八条."""
        return citing.label(source(self.source), self.section)

    @property
    def one_line_label(self) -> Text:
        """``label`` with the source's shortest name (``Source.one_line``), for a line that must not wrap:
        "Regulations on Foreigners' Entry and Exit, Art. 34"; ``label`` where it has none."""
        return citing.label(source(self.source), self.section, one_line=True)

    @property
    def section_label(self) -> Text:
        """The article or section alone, where the document is named already: "4. How to apply, item (b)" /
        四、办理方式（b）."""
        return citing.section_label(source(self.source), self.section)

    def as_dict(self) -> dict[str, str | None]:
        """The citation as JSON-ready data; the same dict each time, which callers only read."""
        if self._dict is None:
            src = source(self.source)
            label = citing.label(src, self.section)
            made = {
                "source": self.source,
                "section": self.section,
                "seed_file": src.seed_file,
                "title_en": src.title.en,
                "title_zh": src.title.zh,
                "label_en": label.en,
                "label_zh": label.zh,
            }
            object.__setattr__(self, "_dict", made)
        return self._dict


class UnknownSource(LookupError):
    """A citation names a source the catalog does not list; ``text`` says so in both languages."""

    def __init__(self, source_id: str, known: tuple[str, ...] = ()):
        self.source_id = source_id
        listed = ", ".join(known)
        self.text = Text(
            f"There is no source {source_id!r}; the sources are: {listed}.",
            f"没有“{source_id}”这一依据文件；依据文件有：{'、'.join(known)}。",
        )
        super().__init__(f"no source {source_id!r} in the catalog; the sources are: {listed}")


def load_sources() -> list[Source]:
    """The documents in sources.yaml and the holiday notices named by the calendar files."""
    raw = list(read_yaml(CATALOG_DIR / "sources.yaml") or [])
    for path in calendar_files():
        notice = (read_yaml(path) or {}).get("source")  # type: ignore[union-attr]
        if not isinstance(notice, dict) or "id" not in notice:
            raise CatalogError(f"{path}: 'source' must name the holiday notice (id, title, published)")
        raw.append({"seed_file": None, "in_force_from": None, **notice})
    sources = []
    for entry in raw:
        where = f"sources: {entry.get('id')}"
        sources.append(
            Source(
                id=entry["id"],
                title=Text.parse(entry["title"], where),
                seed_file=entry.get("seed_file"),
                published=entry.get("published"),
                in_force_from=entry.get("in_force_from"),
                note=(entry.get("note") or "").strip(),
                short_title=Text.parse(entry["short_title"], where) if entry.get("short_title") else None,
                one_line=Text.parse(entry["one_line"], where) if entry.get("one_line") else None,
                sections=tuple((str(en), str(zh)) for en, zh in (entry.get("sections") or {}).items()),
            )
        )
    return sources


UnnamedSection = citing.UnnamedSection


@cache
def _sources() -> dict[str, Source]:
    return {s.id: s for s in load_sources()}


def source(source_id: str) -> Source:
    try:
        return _sources()[source_id]
    except KeyError:
        raise UnknownSource(source_id, tuple(_sources())) from None


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


def cited(what: Text, source_id: str, section: str) -> Text:
    """``what`` with its citation in each language's brackets: "Declared void (Regulations on the …, Art. 34)" /
    "已宣布作废（《中华人民共和国外国人入境出境管理条例》第三十四条）"; the title is the source's, never retyped."""
    said = cite(source_id, section).label
    return Text(f"{what.en} ({said.en})", f"{what.zh}（{said.zh}）")


def parse_cites(raw: object, where: str) -> tuple[Citation, ...]:
    """Citations from "source-id: section" strings in a data file, each checked against the sources;
    at least one is required."""
    items = raw if isinstance(raw, list) else [raw]
    cites = []
    for item in items:
        if not isinstance(item, str) or ":" not in item:
            raise CatalogError(f"{where}: cite needs 'source-id: section', got {item!r}")
        source_id, section = (part.strip() for part in item.split(":", 1))
        if source_id not in _sources():
            raise CatalogError(f"{where}: cite names unknown source {source_id!r}")
        if not section:
            raise CatalogError(f"{where}: cite of {source_id} names no article or section")
        try:
            cites.append(cite(source_id, section))
        except UnnamedSection as exc:
            raise CatalogError(f"{where}: cite {item!r} has no Chinese section name ({exc})") from None
    if not cites:
        raise CatalogError(f"{where}: every rule needs a citation")
    return tuple(cites)
