"""Whether a foreigner resides illegally at an instant (Regulations Art. 25), and what a stay means
(Art. 36(2)-(5)).

Choices, each explicit:

- A stay, a visa-free period or an acceptance receipt valid until a day ends at 24:00 Beijing time that
  day (Art. 36(2) for visas; applied likewise to permits, visa-free periods and receipts). 23:59:59 on the
  last day is legal; 00:00 the next day is not. Instants in any time zone are judged in Beijing time; a
  date alone is judged at 00:00 Beijing time that day.
- While an acceptance receipt is valid the person stays legally, whatever else has run out, as its article
  says: stays (停留) with a visa's or stay permit's receipt (Art. 13 para. 3), resides (居留) with a
  residence permit's (Art. 18 para. 3): the passport is held for processing.
- Recorded choice, the receipt of a procedure Arts. 13 and 18 do not reach (``receipt_validity``):
    field:       what an acceptance receipt means for the holder where no source says: permanent residence
                 and its card (seeds 001 and 003 set the receipt no period and say nothing of it), the
                 study-permit endorsement (Art. 22) and the exit formalities (Art. 23); Arts. 13 and 18 are
                 on visas, stay permits and residence permits
    chosen:      their para. 3 applied by analogy: while the hall holds the passport for the application,
                 the holder resides legally with the receipt; the text and every citation say it is by
                 analogy ("applied by analogy: the sources do not say this for this application")
    alternative: the receipt says nothing of the holder's stay, or "not stated by the sources"
    reason:      the hall keeps the passport for these applications too, and a holder without it needs a
                 paper to show for the time; the label keeps anyone from reading it as a rule of the sources
- Overstaying is Art. 25(1) when a visa or permit period is known, Art. 25(2) when only a visa-free period
  is. Activities outside a restricted area are Art. 25(3) whatever the dates. Art. 25(4), "other
  circumstances", is the authority's finding and is not computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from exitentry.law.calendar import BEIJING, expires_at
from exitentry.law.model import Procedure
from exitentry.law.parameters import Parameters, parameters
from exitentry.law.periods import last_day_of_stay
from exitentry.law.rulefunctions import cites
from exitentry.law.rules.grounds import Ground, ground
from exitentry.law.sources import Citation, cite
from exitentry.law.text import Text, day_text

# While the passport is held for processing, the acceptance receipt is the holder's lawful stay (Art. 13
# para. 3: visas and stay permits) or residence (Art. 18 para. 3: residence permits), each in its article's word.
RECEIPT_STAY_BASIS = (cite("regulations", "Art. 13 para. 3"),)
RECEIPT_STAY = Text(
    "While the applicant's passport or other international travel document is kept for processing, the "
    "holder may stay legally in China with this receipt.",
    "申请人的护照或者其他国际旅行证件因办理证件被留存期间，可以凭本回执在中国境内合法停留。",
)
RECEIPT_RESIDE_BASIS = (cite("regulations", "Art. 18 para. 3"),)
RECEIPT_RESIDE = Text(
    "While the applicant's passport or other international travel document is kept for processing, the "
    "holder may reside legally in China with this receipt.",
    "申请人的护照或者其他国际旅行证件因办理证件被留存期间，可以凭本回执在中国境内合法居留。",
)
# What each article reaches, as a procedure's casework says it: Art. 13 the extension, renewal and reissue of
# a visa and the stay permit; Art. 18 the residence permit (issued, extended, renewed, reissued or issued anew
# to a new employer), not its endorsement for part-time study (Art. 22).
STAY_PERMITS = frozenset({"visa", "stay-permit"})
RECEIPT_BASIS = RECEIPT_STAY_BASIS + RECEIPT_RESIDE_BASIS  # the two articles the analogy draws on
# The same rule for a procedure Arts. 13 and 18 do not reach: applied by analogy (the recorded choice above).
BY_ANALOGY = "applied by analogy: the sources do not say this for this application"
RECEIPT_BASIS_BY_ANALOGY = tuple(cite(c.source, f"{c.section} ({BY_ANALOGY})") for c in RECEIPT_BASIS)
RECEIPT_RESIDE_BY_ANALOGY = Text(
    "No source says this for this application, but as the Regulations provide for a visa or a residence "
    "permit: while the applicant's passport or other international travel document is kept for "
    "processing, the holder may reside legally in China with this receipt (applied by analogy).",
    "本事项的依据文件未作规定；参照条例对签证、居留证件的规定：申请人的护照或者其他国际旅行证件因办理证件被留存"
    "期间，可以凭本回执在中国境内合法居留（参照适用）。",
)
# A receipt whose procedure's sources give it no period (permanent residence: its guide states no time limit,
# and Arts. 13 and 18, which set receipts their 7 and 15 days, are on visas and residence permits): it has no
# last day, and serves, by analogy with both articles' para. 3, while the passport is held for the application.
RECEIPT_WHILE_HELD = Text(
    "No fixed last day in the sources: by analogy with the Regulations' receipts for a visa or a residence "
    "permit, it serves while the hall holds the applicant's passport for this application",
    "资料未规定固定截止日：参照条例对签证、居留证件受理回执的规定，本申请办理期间大厅留存申请人护照时有效",
)


@dataclass(frozen=True, slots=True)
class ReceiptValidity:
    """How long an acceptance receipt serves, in words (its last day, or while the passport is held), the
    sentence saying what the holder may do with it meanwhile (``reside``: stay, Art. 13 para. 3, or reside,
    Art. 18 para. 3), and the provision that makes it so, or, for a procedure they do not reach, both by
    analogy."""

    until: date | None
    text: Text
    reside: Text
    cite: tuple[Citation, ...]
    by_analogy: bool = False


def receipt_article(procedure: Procedure) -> str | None:
    """Which para. 3 reaches ``procedure``'s receipt, from what its casework acts on: "13" for a visa's
    extension, renewal or reissue and the stay permit, "18" for a residence permit; None for the rest
    (permanent residence, the study endorsement, the exit formalities)."""
    work = procedure.casework
    if work.permit in STAY_PERMITS:
        return "13"
    if work.permit == "residence-permit" and work.action != "endorsement":
        return "18"
    return None


@cites("regulations: Art. 13 para. 3", "regulations: Art. 18 para. 3")
def receipt_validity(until: date | None, procedure: Procedure) -> ReceiptValidity:
    """How long an acceptance receipt of ``procedure`` serves and what it means for the holder meanwhile:
    to ``until`` where its procedure sets it a period (the day as each language writes it), the holder
    staying legally with it (a visa or stay permit, Art. 13 para. 3, ``RECEIPT_STAY``) or residing legally
    (a residence permit, Art. 18 para. 3, ``RECEIPT_RESIDE``), one article each. A procedure those articles
    do not reach, or a receipt with no period (every visa, stay-permit and residence-permit procedure has its
    receipt line): it serves while the hall holds the passport for the application (``RECEIPT_WHILE_HELD``
    where it has no last day), with para. 3 applied by analogy (the recorded choice above), as its text and
    citations say. The case pages, the printed receipt and its public check all say this."""
    article = receipt_article(procedure)
    if until is not None and article == "13":
        return ReceiptValidity(until, day_text(until), RECEIPT_STAY, RECEIPT_STAY_BASIS)
    if until is not None and article == "18":
        return ReceiptValidity(until, day_text(until), RECEIPT_RESIDE, RECEIPT_RESIDE_BASIS)
    text = day_text(until) if until is not None else RECEIPT_WHILE_HELD
    return ReceiptValidity(until, text, RECEIPT_RESIDE_BY_ANALOGY, RECEIPT_BASIS_BY_ANALOGY, True)


@dataclass(frozen=True, slots=True)
class Situation:
    """What is known about a foreigner's stay; each date is the last day a period allows."""

    authorised_until: date | None = None  # visa duration of stay, stay permit or residence permit
    visa_free_until: date | None = None
    receipt_valid_until: date | None = None  # acceptance receipt while the passport is held
    outside_restricted_area: bool = False  # activities beyond the area the stay is restricted to


@dataclass(frozen=True, slots=True)
class Basis:
    """Why the stay is lawful at the instant: which period covers it, until when, and where the law says so."""

    text: Text
    until: datetime
    cite: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class ResidenceVerdict:
    """Illegal or not at ``at`` (Beijing time), with the Art. 25 grounds that hold or the basis that covers."""

    at: datetime
    illegal: bool
    grounds: tuple[Ground, ...]
    basis: Basis | None


@dataclass(frozen=True, slots=True)
class Term:
    """Short-term (at most 180 days) or long-term (more than 180 days), Art. 36(4)-(5)."""

    long_term: bool
    text: Text
    cite: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class AuthorisedStay:
    """A visa's duration of stay after one entry: its last day, the instant it runs out, its term."""

    last_day: date
    expires_at: datetime
    term: Term
    cite: tuple[Citation, ...]


@cites("regulations: Art. 36(4)", "regulations: Art. 36(5)", params=("short-term-stay-maximum",))
def term_of(stay_calendar_days: int, on: date, *, params: Parameters | None = None) -> Term:
    """Short-term is a stay of at most 180 days, 180 included; long-term is more (Art. 36(4)-(5)), as
    in force on ``on``."""
    if stay_calendar_days < 1:
        raise ValueError(f"a stay is at least one day, got {stay_calendar_days}")
    days = (params or parameters()).value("short-term-stay-maximum", on)
    if stay_calendar_days <= days:  # type: ignore[operator]
        return Term(False, _SHORT.format(days=days), (cite("regulations", "Art. 36(4)"),))
    return Term(True, _LONG.format(days=days), (cite("regulations", "Art. 36(5)"),))


_SHORT = Text("short-term: at most {days} days", "短期：不超过{days}日（含{days}日）")
_LONG = Text("long-term: more than {days} days", "长期：超过{days}日")


@cites("regulations: Art. 36(3)", "regulations: Art. 36(2)")
def authorised_stay(entry_date: date, stay_calendar_days: int) -> AuthorisedStay:
    """The stay a visa allows after entering on ``entry_date``: counted from the day after entry
    (Art. 36(3)) and running out at 24:00 Beijing time on its last day (Art. 36(2)).
    Entering on 2026-03-01 with 30 days of stay, the last day is 2026-03-31."""
    term = term_of(stay_calendar_days, entry_date)
    last = last_day_of_stay(entry_date, stay_calendar_days)
    return AuthorisedStay(
        last_day=last,
        expires_at=expires_at(last),
        term=term,
        cite=(cite("regulations", "Art. 36(3)"), cite("regulations", "Art. 36(2)")),
    )


@cites("regulations: Art. 25(2)", "regulations: Art. 36(2)", "civil-code: Art. 201")
def visa_free_last_day(entry_date: date, visa_free_days: int) -> date:
    """The last day of a visa-free stay of ``visa_free_days`` granted on entering on ``entry_date``: counted
    from the day after entry (Civil Code Art. 201, as a visa's stay, Art. 36(3)), running out at 24:00
    Beijing time on it (Art. 36(2)). How many days a visa-free entry allows is set by the agreement or
    policy it was granted under and recorded at the border, not by the Regulations."""
    if visa_free_days < 1:
        raise ValueError(f"a visa-free stay is at least one day, got {visa_free_days}")
    return last_day_of_stay(entry_date, visa_free_days)


@cites(
    "regulations: Art. 25(1)",
    "regulations: Art. 25(2)",
    "regulations: Art. 25(3)",
    "regulations: Art. 36(2)",
    "regulations: Art. 13 para. 3",
    "regulations: Art. 18 para. 3",
)
def illegal_residence(situation: Situation, at: datetime | date) -> ResidenceVerdict:
    """Whether the person resides illegally at ``at`` (Regulations Art. 25).

    ``at`` is a time-zone-aware instant (any zone) or a date (judged at 00:00 Beijing time). The
    situation must give the end of a visa or permit period or of a visa-free period.
    """
    instant = _beijing(at)
    if situation.authorised_until is None and situation.visa_free_until is None:
        raise ValueError(
            "illegal_residence needs the last day of the visa or permit period (authorised_until) "
            "or of the visa-free period (visa_free_until)"
        )
    found: list[Ground] = []
    if situation.outside_restricted_area:
        found.append(ground("illegal-outside-restricted-area"))
    basis = _covering(situation, instant)
    if basis is None:
        found.insert(
            0,
            ground(
                "illegal-overstay" if situation.authorised_until is not None else "illegal-visa-free-overstay"
            ),
        )
    return ResidenceVerdict(at=instant, illegal=bool(found), grounds=tuple(found), basis=basis)


def _beijing(at: datetime | date) -> datetime:
    if isinstance(at, datetime):
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(
                f"{at.isoformat()} has no time zone; give an aware instant (e.g. Beijing or UTC)"
            )
        return at.astimezone(BEIJING)
    return datetime.combine(at, time.min, BEIJING)


def _covering(situation: Situation, instant: datetime) -> Basis | None:
    """The period that covers ``instant`` and lasts longest, or None when none does."""
    periods = (
        (
            situation.authorised_until,
            Text("the visa or stay or residence permit", "签证或者停留居留证件"),
            (cite("regulations", "Art. 25(1)"), cite("regulations", "Art. 36(2)")),
        ),
        (
            situation.visa_free_until,
            Text("the visa-free period", "免签期限"),
            (cite("regulations", "Art. 25(2)"), cite("regulations", "Art. 36(2)")),
        ),
        (
            situation.receipt_valid_until,
            Text("the acceptance receipt, while the passport is held", "受理回执（护照被收存期间）"),
            RECEIPT_BASIS,
        ),
    )
    best: Basis | None = None
    for last_day, what, basis_cites in periods:
        if last_day is None:
            continue
        until = expires_at(last_day)
        if instant < until and (best is None or until > best.until):
            best = Basis(
                Text(
                    "Covered by {what} until 24:00 Beijing time on {day}", "{day}北京时间24时前由{what}覆盖"
                ).format(what=what, day=day_text(last_day)),
                until,
                basis_cites,
            )
    return best
