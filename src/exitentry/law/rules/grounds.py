"""The grounds the Regulations list, each with a stable id that a decision, a voiding or a report records.

Kinds (``catalog/grounds.yaml``): refusal of an extension, renewal, reissue or stay permit (Art. 21),
refusal of a first residence permit (Exit and Entry Administration Law Art. 31), voiding by the issuing authority (Art. 34), cancellation or confiscation (Art. 35), events a unit must
report promptly (Art. 26), and illegal residence (Art. 25). An unknown id or kind is an error naming it,
never a silent miss: a record must not point at a ground the law does not have. A procedure neither
reaches (a permanent resident ID card, an exit document, a change, an endorsement) is refused as not meeting
the conditions of its own source sections (``CONDITIONS_NOT_MET``), never on an article that does not say it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from exitentry.law.citing import article_zh, chinese_number
from exitentry.law.files import CATALOG_DIR, CatalogError, read_yaml
from exitentry.law.in_force import InForce, read_in_force
from exitentry.law.model import Casework, Procedure
from exitentry.law.rulefunctions import cites
from exitentry.law.sources import Citation, cite, parse_cites
from exitentry.law.text import Text, continued, day_text

GROUNDS_FILE = CATALOG_DIR / "grounds.yaml"


class UnknownGround(LookupError):
    """A ground id or kind that ``catalog/grounds.yaml`` does not list; ``text`` says so in both languages."""

    def __init__(self, message: str, text: Text):
        self.text = text
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Ground(InForce):
    """One listed ground: its stable id, its item in the article, its text and citations."""

    id: str
    kind: str
    item: str
    text: Text
    cite: tuple[Citation, ...]
    in_force_from: date
    in_force_to: date | None

    @property
    def label(self) -> Text:
        """Its item as a list of grounds numbers it: "(1)" in English, "（一）" in Chinese, as the
        Regulations print their items (an "Art. 31" item reads "第三十一条")."""
        return item_label(self.item)

    @property
    def option(self) -> Text:
        """How a list to choose from offers it: "(1) The applicant ..." / "（一）..."; a ground that is a
        whole article ("Art. 31") names it in its own text, so its text alone, the number said once."""
        if not _ITEM.match(self.item):
            return self.text
        label = self.label
        return Text(f"{label.en} {self.text.en}", f"{label.zh}{self.text.zh}")


_ITEM = re.compile(r"^\((?P<n>\d+)\)$")


def item_label(item: str) -> Text:
    """A listed item ("(1)", "Art. 31") in both languages: the Chinese statutes number items "（一）"."""
    if m := _ITEM.match(item):
        return Text(item, f"（{chinese_number(int(m['n']))}）")
    return Text(item, article_zh(item) or item)


@dataclass(frozen=True, slots=True)
class GroundKind:
    """A list of grounds in one article, with what the article adds (a deadline, a note)."""

    id: str
    title: Text
    cite: tuple[Citation, ...]
    grounds: tuple[Ground, ...]
    deadline: Text | None = None
    note: Text | None = None


@cache
def _kinds() -> dict[str, GroundKind]:
    kinds: dict[str, GroundKind] = {}
    seen: set[str] = set()
    for raw in read_yaml(GROUNDS_FILE) or ():
        where = f"grounds.yaml: {raw.get('kind')}"
        kind_in_force = read_in_force(raw, where)
        grounds = []
        for entry in raw.get("grounds") or ():
            at = f"{where} {entry.get('id')}"
            if entry.get("id") in seen:
                raise CatalogError(f"{at}: ground id is used twice")
            seen.add(entry["id"])
            grounds.append(
                Ground(
                    id=entry["id"],
                    kind=raw["kind"],
                    item=str(entry["item"]),
                    text=Text.parse(entry["text"], at),
                    cite=parse_cites(entry.get("cite"), at),
                    **(read_in_force(entry, at) if entry.get("in_force") else kind_in_force),
                )
            )
        if not grounds:
            raise CatalogError(f"{where}: a kind lists at least one ground")
        kinds[raw["kind"]] = GroundKind(
            id=raw["kind"],
            title=Text.parse(raw["title"], where),
            cite=parse_cites(raw.get("cite"), where),
            grounds=tuple(grounds),
            deadline=Text.parse(raw["deadline"], where) if raw.get("deadline") else None,
            note=Text.parse(raw["note"], where) if raw.get("note") else None,
        )
    return kinds


@cache
def _by_id() -> dict[str, Ground]:
    return {g.id: g for kind in _kinds().values() for g in kind.grounds}


def ground_kinds() -> tuple[GroundKind, ...]:
    """Every kind of ground with all its grounds, whatever their dates."""
    return tuple(_kinds().values())


def ground_kind(kind: str) -> GroundKind:
    """One kind of ground (``refusal``, ``void``, ``cancellation``, ``unit-report``, ``illegal-residence``)."""
    try:
        return _kinds()[kind]
    except KeyError:
        known = ", ".join(_kinds())
        raise UnknownGround(
            f"no kind of ground {kind!r} in grounds.yaml; the kinds are: {known}",
            Text(
                f"There is no kind of ground {kind!r}; the kinds are: {known}.",
                f"没有“{kind}”这类理由；理由类别有：{'、'.join(_kinds())}。",
            ),
        ) from None


def ground(ground_id: str) -> Ground:
    """The ground with this stable id, whatever its kind."""
    try:
        return _by_id()[ground_id]
    except KeyError:
        raise UnknownGround(
            f"no ground {ground_id!r} in grounds.yaml; list the ids with grounds(kind, on) "
            f"(kinds: {', '.join(_kinds())})",
            Text(
                f"There is no ground {ground_id!r}; choose one of the grounds listed.",
                f"没有“{ground_id}”这一理由，请从所列理由中选择。",
            ),
        ) from None


def grounds(kind: str, on: date) -> tuple[Ground, ...]:
    """The grounds of one kind in force on ``on``, in the article's order."""
    return tuple(g for g in ground_kind(kind).grounds if g.in_force_on(on))


def ground_for(kind: str, ground_id: str, on: date) -> Ground:
    """The ground ``ground_id`` if it is one of ``kind`` in force on ``on``.

    Otherwise ``UnknownGround`` whose message lists the ids that are, with their items, so the caller
    can choose one (a voiding cites Art. 34, a cancellation Art. 35, a refusal Art. 21).
    """
    listed = grounds(kind, on)
    for g in listed:
        if g.id == ground_id:
            return g
    title = ground_kind(kind).title
    choices = [(g.id, g.cite[0].section, article_zh(g.cite[0].section) or g.item) for g in listed]
    raise UnknownGround(
        f"{ground_id!r} is not one of the {kind} grounds in force on {on}",
        Text(
            f"{ground_id!r} is not one of the {continued(title.en)} in force on {on}; "
            f"choose one of: {', '.join(f'{i} ({en})' for i, en, _ in choices)}.",
            f"“{ground_id}”不是{on}有效的{title.zh}之一，请从以下理由中选择："
            f"{'、'.join(f'{i}（{zh}）' for i, _, zh in choices)}。",
        ),
    )


# What Art. 21 reaches: "the extension, renewal or reissuance of visas and residence permits", and "issue
# stay permits".
_ARTICLE_21 = {
    ("extension", "visa"),
    ("renewal", "visa"),
    ("reissue", "visa"),
    ("extension", "residence-permit"),
    ("renewal", "residence-permit"),
    ("reissue", "residence-permit"),
    ("issue", "stay-permit"),
}
CONDITIONS = "conditions-refusal"
CONDITIONS_NOT_MET = "refusal-conditions-not-met"


@cites("regulations: Art. 21", "exit-entry-law: Art. 31")
def refusal_kind(casework: Casework) -> str:
    """The kind of ground a refusal of ``casework`` cites: ``refusal`` (Art. 21) for what Art. 21 reaches
    ("the extension, renewal or reissuance of visas and residence permits", and stay permits),
    ``first-refusal`` (the Law's Art. 31) for issuing a residence permit, and ``conditions-refusal`` (the
    procedure's own sources, ``refusal_grounds``) for anything else."""
    if (casework.action, casework.permit) in _ARTICLE_21:
        return "refusal"
    if casework.action == "issue" and casework.permit == "residence-permit":
        return "first-refusal"
    return CONDITIONS


MATERIALS_NOT_PROVIDED = "refusal-materials-not-provided"  # Art. 21(1), ``catalog/grounds.yaml``


@cites("regulations: Art. 21(1)")
def refused_short_of_materials(casework: Casework) -> bool:
    """Whether a case of ``casework`` still short of materials after its resubmission (the one-time list
    given) may be refused for it: Art. 21(1), "failure to provide application materials as required", for
    what Art. 21 reaches (``refusal_kind``); any other procedure waits for them
    (``law.intake.still_outstanding_after_notice``)."""
    return refusal_kind(casework) == "refusal"


def _conditions_ground(procedure: Procedure) -> Ground:
    """ "Refused: does not meet the conditions of" the procedure's own source sections, citing them."""
    said = [c.label for c in procedure.cite]
    return Ground(
        id=CONDITIONS_NOT_MET,
        kind=CONDITIONS,
        item="",
        text=Text(
            f"Refused: the application does not meet the conditions of {'; '.join(t.en for t in said)}",
            f"不予批准：申请不符合{'、'.join(t.zh for t in said)}规定的条件",
        ),
        cite=procedure.cite,
        in_force_from=procedure.in_force_from,
        in_force_to=procedure.in_force_to,
    )


def refusal_grounds(procedure: Procedure, on: date) -> tuple[Ground, ...]:
    """The grounds an officer may cite to refuse ``procedure`` on ``on`` (``refusal_kind``)."""
    kind = refusal_kind(procedure.casework)
    return (_conditions_ground(procedure),) if kind == CONDITIONS else grounds(kind, on)


def refusal_cite(procedure: Procedure) -> Citation:
    """Where the grounds ``refusal_grounds`` offers for ``procedure`` come from, for the heading of the list:
    Regulations Art. 21 for an extension, renewal, reissue or stay permit, the Law's Art. 31 for a first
    residence permit, the procedure's own first source otherwise (its ground cites them all)."""
    kind = refusal_kind(procedure.casework)
    return procedure.cite[0] if kind == CONDITIONS else ground_kind(kind).cite[0]


def refusal_ground(procedure: Procedure, ground_id: str, on: date) -> Ground:
    """The refusal ground ``ground_id`` if it is one ``refusal_grounds`` offers; else ``UnknownGround``."""
    kind = refusal_kind(procedure.casework)
    if kind != CONDITIONS:
        return ground_for(kind, ground_id, on)
    if ground_id == CONDITIONS_NOT_MET:
        return _conditions_ground(procedure)
    raise UnknownGround(
        f"{ground_id!r} is not a ground for refusing {procedure.id}",
        Text(
            "That is not a ground for refusing this application: the one ground offered is that it does not "
            "meet the conditions of the procedure's sources.",
            "所选理由不是本申请的不予批准理由：可选的理由只有“不符合本事项依据规定的条件”。",
        ),
    )


def decision_ground(procedure: Procedure, ground_id: str) -> Ground:
    """The ground a recorded refusal of ``procedure`` cites, whatever its dates."""
    return _conditions_ground(procedure) if ground_id == CONDITIONS_NOT_MET else ground(ground_id)


def ending_refusal(valid_until: date | None, on: date) -> Text | None:
    """Why a permit may not be declared void (Regulations Art. 34) or cancelled (Art. 35) on ``on``; None
    when it may. Both end a permit's validity before its time; past its last valid day (Art. 36(2): it
    expires at 24:00 of that day) it has none left to end, and the registry already shows it expired."""
    if valid_until is None or valid_until >= on:
        return None
    day = day_text(valid_until)
    void, cancel = cite("regulations", "Art. 34").label, cite("regulations", "Art. 35").label
    return Text(
        f"This permit expired after {day.en}: voiding ({void.en}) and cancellation ({cancel.en}) "
        "end a permit still in force.",
        f"该证件有效期已于{day.zh}届满：宣布作废（{void.zh}）和注销（{cancel.zh}）只适用于仍在有效期内的证件。",
    )
