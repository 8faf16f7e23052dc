"""The sources the rules cite, and for one source (and article) everything in the code that cites it:
catalog lines, rule functions and parameters (``law.provisions``)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from exitentry.api.routing import Router, described
from exitentry.api.schemas import CitationOut, Out, TextOut
from exitentry.law.calendar import beijing_today
from exitentry.law.provisions import KINDS, cited_sources, what_cites
from exitentry.law.sources import Source, source

router = Router(tags=["sources"])


class SourceOut(Out):
    __doc__ = _(
        "A document the rules come from, and how many catalog lines, rule functions and parameters cite it."
    )

    id: str
    title: TextOut
    seed_file: str | None
    published: date | None
    in_force_from: date | None
    note: str
    cited_by: int


class CiterOut(Out):
    __doc__ = _(
        "Something in the code that cites the provision: its kind, its name in the code, what it says."
    )

    kind: str
    kind_label: TextOut
    ref: str
    text: TextOut
    cite: CitationOut
    procedure_id: str | None


class SourceCitersOut(Out):
    source: SourceOut
    section: str | None
    cited_by: list[CiterOut]


@router.get(
    "/sources",
    response=list[SourceOut],
    description=described(
        _("anyone."),
        _(
            "The documents the rules come from (laws, regulations, the Beijing guides), with their titles in English and"
            " Chinese and how many catalog lines, rule functions and parameters cite each."
        ),
    ),
    summary=_("The sources the rules cite"),
)
def list_sources(request):
    return [_source(s, n) for s, n in cited_sources(beijing_today())]


@router.get(
    "/sources/{source_id}",
    response=SourceCitersOut,
    description=described(
        _("anyone."),
        _(
            "For one source, or one of its sections with `section` (written as a citation's `section` reads, e.g."
            " `section=Art.%2033` in the URL; an article finds its paragraphs too): every rule, parameter and catalog line in force today"
            " that cites it. 404 for a source that is not known."
        ),
    ),
    summary=_(
        "Everything that cites a source, or one section of it (?section= as a citation's section reads; "
        "an article finds its paragraphs too)"
    ),
)
def get_source(request, source_id: str, section: str | None = None):
    found = what_cites(source_id, section, beijing_today())
    return {
        "source": _source(source(source_id), len(what_cites(source_id, None, beijing_today()))),
        "section": section,
        "cited_by": [{**c.as_dict(), "kind_label": KINDS[c.kind].as_dict()} for c in found],
    }


def _source(src: Source, cited_by: int) -> dict[str, object]:
    return {
        "id": src.id,
        "title": src.title.as_dict(),
        "seed_file": src.seed_file,
        "published": src.published,
        "in_force_from": src.in_force_from,
        "note": src.note,
        "cited_by": cited_by,
    }
