"""The advisor's after-entry duty for a signed-in applicant: the days the visa of their entry states
(Regulations Art. 9), not the Law's generic 30, and no duty at all once a residence permit was issued since
that entry (an entry in 2018 on which the holder has lived on permits since)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from page_world import client_for
from test_advisor import FAMILY_VISIT, answered_to_end

from exitentry.registry.models import EntryExit
from factories import PermitFactory, TravelDocumentFactory, VisaFactory, applicant

pytestmark = pytest.mark.django_db
URL = "/{lang}/advisor/rp-personal-affairs/"
MONDAY = date(2026, 9, 21)  # the views' clock (beijing_at)
# the registry answers the birth date and whether this is a first application
ANSWERS = {k: v for k, v in FAMILY_VISIT.items() if k not in ("birth_date", "first_application_in_china")}


@pytest.fixture(autouse=True)
def pages_on_monday(monkeypatch, beijing_at):
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: MONDAY)


def entered(on: date, visa_from: date, visa_until: date, within_days: int | None):
    holder = applicant()
    passport = TravelDocumentFactory(person=holder.person, issued_on=date(2017, 1, 1))
    VisaFactory(
        travel_document=passport,
        category="S1",
        valid_from=visa_from,
        valid_until=visa_until,
        residence_permit_within_days=within_days,
    )
    EntryExit.objects.create(
        person=holder.person, direction="entry", on=on, port="PEK", travel_document=passport
    )
    return holder


def afterwards(html: str) -> str:
    section = html[html.index('id="afterwards"') :]
    return section[: section.index("</ul>")]


@pytest.mark.parametrize(
    ("lang", "text", "last_day"),
    [
        ("en", "within 10 days of entry", "Mon 28 September 2026"),
        ("zh-hans", "自入境之日起10日内", "2026年9月28日"),
    ],
)
def test_the_duty_counts_the_days_the_visa_states(lang, text, last_day):
    holder = entered(MONDAY - timedelta(days=3), date(2026, 9, 1), date(2026, 12, 1), within_days=10)
    html = afterwards(answered_to_end(client_for(holder), URL.format(lang=lang), ANSWERS))
    assert text in html and last_day in html
    assert ("within 30 days" if lang == "en" else "30日内") not in html


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_an_entry_in_2018_with_a_residence_permit_since_lists_no_after_entry_duty(lang):
    holder = entered(date(2018, 3, 5), date(2018, 1, 1), date(2018, 6, 1), within_days=30)
    PermitFactory(
        person=holder.person, permit_type="work", issued_on=date(2018, 3, 20), valid_until=date(2027, 3, 1)
    )
    html = answered_to_end(client_for(holder), URL.format(lang=lang), ANSWERS)
    shown = afterwards(html)
    assert "2018" not in shown
    assert ("within 30 days of entry" if lang == "en" else "自入境之日起30日内") not in shown
    assert 'id="afterwards"' in html  # the other duties still follow


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "applied for by the employer"), ("zh-hans", "“两证联办”由用人单位申请")]
)
def test_an_applicant_starting_the_one_stop_service_herself_is_told_the_employer_files_it(lang, said):
    """Seed 002, 4. How to apply a: the start page says why in the page's language (the refusal names no
    permit held, so it is said with the page's errors)."""
    from advisor_forms import as_answers

    from exitentry.law.examples import eligible_facts

    holder = entered(MONDAY - timedelta(days=3), date(2026, 9, 1), date(2026, 12, 1), within_days=30)
    facts = eligible_facts("one-stop-work-permits", MONDAY) | {  # as the registry holds them
        "birth_date": holder.person.birth_date.isoformat(),
        "entry_date": (MONDAY - timedelta(days=3)).isoformat(),
        "visa_requires_residence_permit": True,
    }
    answer = client_for(holder).post(
        f"/{lang}/apply/one-stop-work-permits/", as_answers(facts) | {"on": MONDAY.isoformat()}
    )
    page = answer.content.decode()
    assert answer.status_code == 422 and said in page, page[page.index("<main") : page.index("</main>")]
