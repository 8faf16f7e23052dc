"""Voiding a permit for an unreported change of the reason for residence (Regulations Art. 34(3)): the
issuing authority first announces it, and only a holder who "still did not report after the public
notice" has the permit declared void.

Art. 34(3) reaches only a holder who "fails to report ... within the prescribed time limit": the period
to apply for the change is the Exit and Entry Administration Law's (Art. 33, 10 days from the change, the
``residence-permit-change-of-particulars`` parameter, ``duties.particulars_change_due``), so a notice may
be published only from the day after that period's last day.

The Regulations set no period after the notice; the parameter ``void-public-notice-period`` holds the
recorded choice (calendar days, counted as "within N days" from the day of publication, Civil Code
Art. 201). Voiding may follow from the day after the period's last day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from exitentry.law.catalog import catalog
from exitentry.law.model import Hall
from exitentry.law.parameters import parameters
from exitentry.law.periods import last_day_within_calendar_days
from exitentry.law.rulefunctions import cites
from exitentry.law.rules.duties import particulars_change_due
from exitentry.law.sources import cite
from exitentry.law.text import Text, day_text

NOTICE_GROUND = "void-reason-changed-unreported"  # Art. 34(3), catalog/grounds.yaml

# Recorded choice, where the notice sends the holder (the Regulations name the issuing authority, not a
# hall): the reception hall of that authority (``halls.AUTHORITY``), which takes every application ("*",
# seed 000 "Where to apply"), with its address and hours; the notice adds that the other exit-entry halls
# taking residence permits receive the report too. Not the holder's district hall: a public notice tells
# no one where its holder lives or last applied.
NOTICE_HALL = "reception-hall"


@cites("regulations: Art. 34(3)", "bj-personal-affairs: Where to apply")
def notice_hall() -> Hall:
    """The hall a public notice names as where the holder reports (``NOTICE_HALL``)."""
    return catalog().halls[NOTICE_HALL]


def _articles() -> tuple[Text, Text]:
    """Regulations Art. 34(3) and the Law's Art. 33 as people read them, with the sources' titles."""
    return cite("regulations", "Art. 34(3)").label, cite("exit-entry-law", "Art. 33").label


def needs_public_notice(ground_id: str) -> bool:
    """Whether voiding on ``ground_id`` must follow a public notice (Art. 34(3))."""
    return ground_id == NOTICE_GROUND


@cites(
    "regulations: Art. 34(3)",
    "exit-entry-law: Art. 33",
    params=("residence-permit-change-of-particulars",),
)
def notice_may_be_published_from(change_date: date) -> date:
    """The first day a notice may be published for a change of the reason for residence on
    ``change_date``: the day after the holder's own period to report it has run out."""
    return particulars_change_due(change_date) + timedelta(days=1)


@cites(
    "regulations: Art. 34(3)",
    "exit-entry-law: Art. 33",
    params=("residence-permit-change-of-particulars",),
)
def publication_too_early(change_date: date, on: date) -> Text | None:
    """Why no notice may be published on ``on`` for a change of the reason for residence on
    ``change_date``: the holder may still report it (None from ``notice_may_be_published_from`` on)."""
    first = notice_may_be_published_from(change_date)
    if on >= first:
        return None
    was, last, from_ = day_text(change_date), day_text(first - timedelta(days=1)), day_text(first)
    item, period = _articles()
    return Text(
        f"{item.en} reaches only a holder who did not report in time: the reason for residence changed "
        f"on {was.en}, and the holder may report it until {last.en} ({period.en}). The notice may be "
        f"published from {from_.en}.",
        f"{item.zh}仅适用于未在规定期限内报告的持证人：居留事由于{was.zh}发生变更，持证人的报告"
        f"期限至{last.zh}（{period.zh}）。公告自{from_.zh}起方可发布。",
    )


@cites("regulations: Art. 34(3)", "civil-code: Art. 201", params=("void-public-notice-period",))
def notice_period_ends(published_on: date) -> date:
    """The last day of the period a public notice published on ``published_on`` gives the holder to
    report (the days in force on the day of publication)."""
    days = parameters().value("void-public-notice-period", published_on)
    return last_day_within_calendar_days(published_on, days)  # type: ignore[arg-type]


@cites("regulations: Art. 34(3)", params=("void-public-notice-period",))
def may_void_after_notice(published_on: date, on: date) -> bool:
    """Whether the notice published on ``published_on`` has run its period by ``on``."""
    return on > notice_period_ends(published_on)


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a notice may be published and whether the permit may be declared void on a day, and why."""

    may_publish: bool
    may_void: bool
    why: Text


@cites(
    "regulations: Art. 34(3)",
    "exit-entry-law: Art. 33",
    params=("residence-permit-change-of-particulars", "void-public-notice-period"),
)
def decide(
    changed_on: date, reported_on: date | None, published_on: date | None, on: date, *, notice: str = ""
) -> Decision:
    """Art. 34(3) on ``on`` for a reason for residence that changed on ``changed_on``, the holder's report
    (``reported_on``: the first, None if none) and the notice (``published_on``, its number ``notice``).

    A holder who reported, in time or late, before the notice or after it, has reported: no notice is
    published and the permit is not declared void (Art. 34(3) reaches one who "still fails to report after
    a public notice"). Without a report, a notice may be published from the day after the holder's own
    period (``notice_may_be_published_from``), once, and voiding may follow once its period has run."""
    due = particulars_change_due(changed_on)
    was, last = day_text(changed_on), day_text(due)
    item, period = _articles()
    if reported_on is not None:
        told = day_text(reported_on)
        if reported_on <= due:
            why = Text(
                f"The holder reported the change of the reason for residence (on {was.en}) on {told.en}, "
                f"within the period that ended on {last.en} ({period.en}): "
                f"{item.en} does not reach them; no public notice, no voiding.",
                f"持证人已于{told.zh}报告居留事由的变更（变更日期{was.zh}），在{last.zh}届满的期限内"
                f"（{period.zh}）：不适用{item.zh}，不发布公告，不宣布作废。",
            )
        elif published_on is None or reported_on < published_on:
            why = Text(
                f"The holder reported the change of the reason for residence (on {was.en}) on {told.en}, "
                f"after the period that ended on {last.en} ({period.en}) "
                f"but before any public notice: {item.en} voids only a permit whose holder still fails "
                "to report after a notice; no public notice, no voiding.",
                f"持证人于{told.zh}报告居留事由的变更（变更日期{was.zh}），已超过{last.zh}届满的期限"
                f"（{period.zh}），但在发布公告之前：{item.zh}仅对公告后"
                "仍不报告的持证人宣布证件作废；不发布公告，不宣布作废。",
            )
        else:
            why = Text(
                f"The holder reported the change of the reason for residence on {told.en}, after the public "
                f"notice {notice} was published: {item.en} voids only a permit whose holder still fails to "
                "report after the notice; the permit is not declared void.",
                f"持证人于公告{notice}发布后的{told.zh}报告了居留事由的变更：{item.zh}仅对公告后仍不"
                "报告的持证人宣布证件作废；该证件不宣布作废。",
            )
        return Decision(False, False, why)
    if published_on is None:
        too_early = publication_too_early(changed_on, on)
        if too_early is not None:
            return Decision(False, False, too_early)
        return Decision(
            True,
            False,
            Text(
                f"{item.en}: the reason for residence changed on {was.en} and the holder did not report it "
                f"by {last.en} ({period.en}): publish a public notice first; "
                "the permit may be declared void after its period.",
                f"{item.zh}：居留事由于{was.zh}发生变更，持证人未在{last.zh}前报告"
                f"（{period.zh}）：须先发布公告，公告期满后方可宣布证件作废。",
            ),
        )
    ends = day_text(notice_period_ends(published_on))
    if not may_void_after_notice(published_on, on):
        return Decision(
            False,
            False,
            Text(
                f"{item.en}: notice {notice} runs until {ends.en}; the permit may be declared void from "
                "the day after, unless the holder reports the change before then.",
                f"{item.zh}：公告{notice}的期限至{ends.zh}，期满次日起方可宣布作废，持证人在此之前报告的除外。",
            ),
        )
    return Decision(
        False,
        True,
        Text(
            f"{item.en}: the holder still did not report the change of the reason for residence after "
            f"notice {notice}, whose period ended on {ends.en}: the permit may be declared void.",
            f"{item.zh}：公告{notice}的期限已于{ends.zh}届满，持证人仍未报告居留事由的变更："
            "可以宣布证件作废。",
        ),
    )


@cites(
    "exit-entry-law: Art. 33", "regulations: Art. 34(3)", params=("residence-permit-change-of-particulars",)
)
def holder_duty(changed_on: date, reported_on: date | None) -> Text:
    """What the holder whose reason for residence changed on ``changed_on`` must do, and by when; once
    reported (``reported_on``), that it is done."""
    was = day_text(changed_on)
    if reported_on is not None:
        told = day_text(reported_on)
        return Text(
            f"The change of the reason for residence (on {was.en}) was reported on {told.en}.",
            f"居留事由的变更（变更日期{was.zh}）已于{told.zh}报告。",
        )
    last = day_text(particulars_change_due(changed_on))
    item, period = _articles()
    return Text(
        f"Your reason for residence changed on {was.en}: report the change, or apply to renew the permit, "
        f"by {last.en} ({period.en}). Otherwise, after a public notice, the permit may be declared void "
        f"({item.en}).",
        f"您的居留事由于{was.zh}发生变更：请在{last.zh}前报告变更或申请换发居留证件"
        f"（{period.zh}）。逾期未报告的，经公告后，居留证件可被宣布作废（{item.zh}）。",
    )
