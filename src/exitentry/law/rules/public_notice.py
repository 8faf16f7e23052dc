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

from datetime import date, timedelta

from exitentry.law.parameters import parameters
from exitentry.law.periods import last_day_within_calendar_days
from exitentry.law.rulefunctions import cites
from exitentry.law.rules.duties import particulars_change_due
from exitentry.law.text import Text, day_text

NOTICE_GROUND = "void-reason-changed-unreported"  # Art. 34(3), catalog/grounds.yaml


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
    return Text(
        f"Art. 34(3) reaches only a holder who did not report in time: the reason for residence changed "
        f"on {was.en}, and the holder may report it until {last.en} (Exit and Entry Administration Law "
        f"Art. 33). The notice may be published from {from_.en}.",
        f"第三十四条第三项仅适用于未在规定期限内报告的持证人：居留事由于{was.zh}发生变更，持证人的报告"
        f"期限至{last.zh}（《中华人民共和国出境入境管理法》第三十三条）。公告自{from_.zh}起方可发布。",
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
