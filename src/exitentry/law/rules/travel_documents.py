"""A travel document against the material every application requires: "a valid passport or other
international travel document" (Regulations Arts. 12, 16, 17; each guide's list of materials).

- A travel document is valid through the day of expiry it states and has expired from the next day on.
  One expired on the day an application is sent is no valid passport: the application is refused until
  a valid one is given, the reason and the material's own citations said: the travel-document line of the
  procedure chosen (``materials``, from its advice or ``procedure_lines``); where its materials have no such
  line, no article of another procedure is cited; where no procedure is known, Art. 16 (a residence permit's).
- The exit formalities of Regulations Art. 23 are for a foreigner who holds no valid passport ("due to
  loss, damage, theft, robbery or other reasons"), an expired one among them: they ask no valid passport,
  so an expired one refuses nothing (``asks_valid_passport``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from exitentry.law.advice import Answer
from exitentry.law.model import Procedure
from exitentry.law.rulefunctions import cites
from exitentry.law.sources import Citation, cite
from exitentry.law.text import Text, continued, day_text

PASSPORT = "passport"  # the id of the travel document among a procedure's materials
# The exit formalities for a foreigner without a valid passport: a procedure whose casework cites it asks none.
WITHOUT_VALID_PASSPORT = Citation("regulations", "Art. 23")
_VALID_PASSPORT = Text(
    "A valid passport or other international travel document", "有效护照或其他国际旅行证件"
)


@dataclass(frozen=True, slots=True)
class Finding:
    """What a travel document's date of expiry means for an application, and where that comes from."""

    text: Text
    cite: tuple[Citation, ...]


def expired(expires_on: date, on: date) -> bool:
    """Whether a travel document valid through ``expires_on`` has expired on ``on``."""
    return expires_on < on


@cites("regulations: Art. 23")
def asks_valid_passport(procedure: Procedure) -> bool:
    """Whether applying for ``procedure`` asks a valid passport or other international travel document:
    all but the exit formalities of Regulations Art. 23 (its casework cites the article), which are for a
    foreigner whose passport is lost, damaged, stolen, robbed or otherwise not valid, expired among them."""
    return WITHOUT_VALID_PASSPORT not in procedure.casework.cite


def procedure_lines(procedure: Procedure) -> tuple:
    """The travel-document line of ``procedure``'s materials as the catalog states it (none where it has
    none), for a check made before its facts are known (a new person's passport on the start form)."""
    return tuple(r for r in procedure.rules.get("materials", ()) if r.id == PASSPORT)


def _required(materials: Iterable[Answer] | None) -> Finding:
    if materials is None:  # no procedure known
        return Finding(_VALID_PASSPORT, (cite("regulations", "Art. 16"),))  # a residence permit's
    line = next((m for m in materials if m.id == PASSPORT), None)
    if line is None:  # nothing specific: no article of another procedure
        return Finding(_VALID_PASSPORT, ())
    return Finding(line.text, line.cite)


def _labels(citations: tuple[Citation, ...]) -> Text:
    labels = [c.label for c in citations]
    return Text("; ".join(x.en for x in labels), "；".join(x.zh for x in labels))


@cites("regulations: Art. 16", "regulations: Art. 17", "regulations: Art. 12", "regulations: Art. 23")
def refused_as_expired(
    expires_on: date,
    on: date,
    materials: Iterable[Answer] | None = None,
    procedure: Procedure | None = None,
) -> Finding | None:
    """Why an application sent on ``on`` with a travel document valid through ``expires_on`` is refused
    (it has expired: not the valid one ``materials``' travel-document line requires), or None; None too
    where ``procedure`` asks no valid passport (``asks_valid_passport``: Art. 23)."""
    if not expired(expires_on, on) or (procedure is not None and not asks_valid_passport(procedure)):
        return None
    required = _required(materials)
    day, said = day_text(expires_on), _labels(required.cite)
    en, zh = (f" ({said.en})", f"（{said.zh}）") if required.cite else ("", "")
    return Finding(
        Text(
            f"The passport expired on {day.en}: the application requires {continued(required.text.en)}"
            f"{en}. Renew the passport and give the new one first.",
            f"该护照已于{day.zh}过期：申请须提交{required.text.zh}{zh}。请先换发护照并填报新护照。",
        ),
        required.cite,
    )
