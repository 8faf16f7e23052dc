"""Response schemas shared by the API's routers (so the OpenAPI document describes every answer), and the
citations their summaries and descriptions give."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from exitentry.api.language import in_language
from exitentry.law.sources import cite
from exitentry.registry import countries
from exitentry.registry.models import Person


class Out(BaseModel):
    """An answer's schema. Answers are built as dicts, which pydantic checks in its compiled core; ninja's
    ``Schema`` would first wrap each dict to read Django objects (0.5 ms of a 50-row list's 3.5 ms)."""


def pdf_answer(description: str) -> dict:
    """The ``openapi_extra`` of an operation that answers a PDF: its 200 as ``application/pdf``."""
    pdf = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"description": description, "content": {"application/pdf": pdf}}}}


def article(source_id: str, section: str) -> str:
    """An article as an OpenAPI summary or description cites it, with its document's title from the law
    core: "Regulations of the People's Republic of China on the Administration of the Entry and Exit of
    Foreigners, Art. 29", in the document's language (``api.language``)."""
    return in_language(cite(source_id, section).label)


class TextOut(Out):
    __doc__ = _("A text in English and Simplified Chinese.")

    en: str
    zh: str


class NamedPersonOut(Out):
    """A person as every answer names them (``named``)."""

    id: int
    name: str = Field(
        description=_("SURNAME Given Names, as the pages, the unit reports and the downloads name the person")
    )
    surname: str
    given_names: str
    chinese_name: str
    nationality: str = Field(description=_("ISO 3166-1 alpha-3"))
    nationality_label: TextOut = Field(description=_("the country's name"))


def named(person: Person) -> dict:
    """``person`` as ``NamedPersonOut``: the name as the pages write it (``Person.display_name``) beside its
    parts, the nationality's code beside the country's name (``registry.countries``)."""
    return {
        "id": person.pk,
        "name": str(person),
        "surname": person.surname,
        "given_names": person.given_names,
        "chinese_name": person.chinese_name,
        "nationality": person.nationality,
        "nationality_label": countries.text(person.nationality).as_dict(),
    }


class CitationOut(Out):
    __doc__ = _(
        "Where a rule comes from: the source, the article or section, and the seed file when there is"
        " one (machine fields), and the label people read in each language."
    )

    source: str
    section: str
    seed_file: str | None
    title_en: str
    title_zh: str
    label_en: str
    label_zh: str


class OptionOut(Out):
    value: str
    label: TextOut


class FactOut(Out):
    __doc__ = _("A fact the rules may ask for, with its question and, for a choice, its options.")

    id: str
    type: str
    question: TextOut
    help: TextOut | None
    options: list[OptionOut]
    minimum: int | None
    maximum: int | None


class SessionOut(Out):
    opens: str
    closes: str


class ChoiceOut(Out):
    __doc__ = _("Where the seeds disagree about a hall: the value chosen, the alternative, and why.")

    field: str
    chosen: TextOut
    chosen_source: CitationOut
    alternative: TextOut
    alternative_source: CitationOut
    reason: TextOut
    silent: bool  # the alternative source states no value: the chosen one fills a gap


class HallOut(Out):
    __doc__ = _("An exit-entry hall: where it is, its hours, and the choices made where the seeds disagree.")

    id: str
    name: TextOut
    address: TextOut
    weekdays: list[int]
    sessions: list[SessionOut]
    restriction: TextOut | None
    cite: list[CitationOut]
    choices: list[ChoiceOut]
