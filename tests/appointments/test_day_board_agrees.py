"""The day board agrees with itself: an appointment checked in whose ticket went unanswered twice says so,
the counts add up (booked = checked in + did not come, for the day's bookings), a ticket names its applicant
to the officers, and a ticket to collect a permit leads to the collection."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from tests.appointments.helpers import at

from case_helpers import client_for
from exitentry.appointments import tickets
from factories import actor, officer

pytestmark = pytest.mark.django_db
NINE = at("2026-11-23T09:00")


def board(lang: str) -> str:
    with mock.patch("exitentry.clock.now", return_value=NINE + timedelta(minutes=40)):
        return client_for(officer()).get(f"/{lang}/console/hall/reception-hall/day/").content.decode()


@pytest.mark.parametrize(
    "lang, then", [("en", "Checked in, then did not answer the call"), ("zh-hans", "已签到，叫号未应答")]
)
def test_a_checked_in_appointment_whose_ticket_did_not_come_says_so_and_the_counts_add_up(
    booked_case, lang, then
) -> None:
    clerk = actor(officer())
    ticket = tickets.check_in(clerk, "reception-hall", booked_case.reference, now=NINE - timedelta(minutes=5))
    for minute in (1, 10):
        tickets.call_next(clerk, "reception-hall", 1, now=NINE + timedelta(minutes=minute))
        tickets.not_answered(clerk, ticket, now=NINE + timedelta(minutes=minute + 1))
    page = board(lang)
    assert then in page
    counts = {k: page.split(f'id="count-{k}">')[1].split("<")[0] for k in ("booked", "checked-in", "no-show")}
    assert counts == {"booked": "1", "checked-in": "0", "no-show": "1"}
    surname = booked_case.case.person.surname
    tickets_table = page[page.index('class="cases tickets"') :]
    assert surname.upper() in tickets_table.upper()


@pytest.mark.parametrize("lang, collection", [("en", "Collection"), ("zh-hans", "领证")])
def test_a_ticket_to_collect_a_permit_links_to_the_collection(lang, collection) -> None:
    from tests.appointments.test_tickets import ready_for_pick_up

    case, clerk = ready_for_pick_up()
    ticket = tickets.issue_walk_in(clerk, case, now=NINE + timedelta(minutes=5))
    tickets.call_next(clerk, case.hall_id, 1, now=NINE + timedelta(minutes=6))
    page = board(lang)
    row = page[page.index(f"<td>{ticket.label}</td>") :]
    row = row[: row.index("</tr>")]
    assert f">{collection}</a>" in row and "Intake checklist" not in row and "受理清单" not in row
