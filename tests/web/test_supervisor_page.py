"""The supervisor's queue health over HTTP: per hall, open cases, decisions due this week, late ones and the
median working days from acceptance to decision; only for supervisors."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from page_world import ROLES, client_for, html, make_world, pages_today  # noqa: F401 - autouse fixture

from exitentry.accounts.models import Role
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from factories import TODAY, PersonFactory, applicant, officer

pytestmark = pytest.mark.django_db

HALLS = ("reception-hall", "zhongguancun")


def case(hall: str, state: str, **dates) -> Case:
    n = Case.objects.count()
    return Case.objects.create(
        reference=f"BJ2026{80000000 + n:08d}",
        procedure_id="rp-work",
        person=PersonFactory(),
        submitted_by=applicant(),
        acting_as="self",
        hall_id=hall,
        state=state,
        submitted_on=dates.pop("submitted_on", TODAY - timedelta(days=30)),
        **dates,
    )


@pytest.fixture
def halls():
    """TODAY is Monday 2 November 2026: this week runs to Sunday 8 November."""
    case("reception-hall", State.RECEIVED)
    case("reception-hall", State.ACCEPTED, accepted_on=date(2026, 10, 29), decision_due=date(2026, 11, 5))
    case("reception-hall", State.ACCEPTED, accepted_on=date(2026, 10, 9), decision_due=date(2026, 10, 30))
    # decided within 90 days: 4, 6 and 2 working days from acceptance (median 4)
    for accepted, decided in (
        (date(2026, 10, 19), date(2026, 10, 23)),
        (date(2026, 10, 12), date(2026, 10, 20)),
        (date(2026, 10, 26), date(2026, 10, 28)),
    ):
        case(
            "reception-hall", State.COLLECTED, accepted_on=accepted, decided_on=decided, decision_due=decided
        )
    # decided long ago: outside the 90 days
    case("reception-hall", State.COLLECTED, accepted_on=date(2026, 6, 1), decided_on=date(2026, 7, 1))
    # withdrawn with its day passed: neither open nor late
    case("reception-hall", State.WITHDRAWN, decision_due=date(2026, 10, 20))
    case("zhongguancun", State.SUBMITTED)
    case("chaoyang", State.ACCEPTED, decision_due=date(2026, 10, 1))  # not the supervisor's hall
    return officer(*HALLS, role=Role.SUPERVISOR)


def row(page: str, hall: str) -> dict[str, str]:
    found = re.search(rf'<tr data-hall="{hall}">(.*?)</tr>', page, re.S)
    assert found, hall
    cells = dict(re.findall(r'<td class="amount ([\w-]+)[^"]*">(.*?)</td>', found[1], re.S))
    return {k: re.split(r"[(（]", re.sub(r"<[^>]+>", "", v))[0].strip() for k, v in cells.items()}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            ["Queue health", "Decisions due in the week", "Median working days to decision", "(3 decisions)"],
        ),
        ("zh-hans", ["队列状况", "当周到期的决定", "受理至决定工作日中位数", "（3项决定）"]),
    ],
)
def test_each_hall_of_the_supervisor_shows_open_due_late_and_the_median(halls, lang, words):
    response = client_for(halls).get(f"/{lang}/console/health/")
    assert response.status_code == 200
    page = html(response)
    for word in words:
        assert word in page, word
    assert row(page, "reception-hall") == {
        "open": "3",
        "due-this-week": "1",
        "late-count": "1",
        "median": "4",
    }
    assert row(page, "zhongguancun") == {"open": "1", "due-this-week": "0", "late-count": "0", "median": "—"}
    assert 'data-hall="chaoyang"' not in page
    median = re.search(r'<tr data-hall="reception-hall">.*?<td class="amount median">(.*?)</td>', page, re.S)
    said = re.sub(r"<[^>]+>", "", median[1]).split("\n")[0]
    assert (
        said == {"en": "4 (3 decisions)", "zh-hans": "4（3项决定）"}[lang]
    )  # full-width, no space, in Chinese


def test_the_page_takes_the_same_number_of_queries_with_more_cases(halls):
    client = client_for(halls)
    with CaptureQueriesContext(connection) as few:
        client.get("/en/console/health/")
    for i in range(30):
        case(
            "reception-hall",
            State.COLLECTED,
            accepted_on=date(2026, 10, 1 + i % 20),
            decided_on=date(2026, 10, 28),
        )
        case("zhongguancun", State.ACCEPTED, decision_due=TODAY + timedelta(days=i % 9))
    with CaptureQueriesContext(connection) as many:
        client.get("/en/console/health/")
    assert len(many) == len(few)


@pytest.mark.parametrize("role", ROLES)
def test_only_a_supervisor_may_open_queue_health(role):
    world = make_world()
    response = world.client(role).get("/en/console/health/")
    expected = {"supervisor": 200, "anonymous": 302}.get(role, 403)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"] == "/en/sign-in/?next=/en/console/health/"


def test_the_nav_links_queue_health_for_supervisors_only():
    assert "/en/console/health/" in html(client_for(officer(role=Role.SUPERVISOR)).get("/en/console/"))
    assert "/en/console/health/" not in html(client_for(officer()).get("/en/console/"))


def test_the_summary_and_the_chart_count_the_same_decisions_due_this_week(halls):
    """Due this week: the last day falls in it and the case was still undecided when the week began, made
    since or not; one computation (``charts.due_in_week``) for the summary and the chart."""
    case("reception-hall", State.APPROVED, accepted_on=date(2026, 10, 20), decision_due=date(2026, 11, 6),
         decided_on=TODAY)  # fmt: skip
    case(
        "reception-hall",
        State.APPROVED,
        accepted_on=date(2026, 10, 20),
        decision_due=date(2026, 11, 4),
        decided_on=date(2026, 10, 30),
    )  # fmt: skip - decided before the week
    case("reception-hall", State.WITHDRAWN, decision_due=date(2026, 11, 3), closed_on=date(2026, 10, 30))
    page = html(client_for(halls).get("/en/console/health/"))
    table = re.search(r'<table class="health chart-data" data-chart="queue">(.*?)</table>', page, re.S)[1]
    header = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)
    this_week = re.findall(r"<tr>(.*?)</tr>", table, re.S)[-1]
    charted = re.findall(r'<td class="amount">(\d+)</td>', this_week)[
        header.index("Decisions due in the week") - 1
    ]
    assert row(page, "reception-hall")["due-this-week"] == "2"
    assert charted == "2"  # the other hall, zhongguancun, has none due


@pytest.mark.parametrize(("lang", "week"), [("en", "Week of"), ("zh-hans", "周（自周一起）")])
def test_the_chart_s_axis_names_its_weeks_as_the_data_table_does(halls, lang, week):
    """Under the chart and over the table's first column, one term for the weeks (not a bare "周一",
    "Monday", under a row of dates); and the help's two sentences join as the language writes them."""
    client = client_for(halls)
    page = html(client.get(f"/{lang}/console/health/"))
    data = re.search(r'<table class="health chart-data" data-chart="queue">(.*?)</table>', page, re.S)[1]
    svg = client.get(re.search(r'<img src="([^"]+)"[^>]*data-chart="queue"', page)[1]).content.decode()
    assert f'<th scope="col">{week}</th>' in data and week in svg
    help_text = re.search(r'<p class="help">(.*?)</p>', page, re.S)[1]
    assert ("。 " not in help_text) if lang == "zh-hans" else (". The median" in help_text)


@pytest.mark.parametrize(
    ("lang", "terms"),
    [
        ("en", ["Open", "Decisions due in the week", "Late"]),
        ("zh-hans", ["未办结", "当周到期的决定", "已超期"]),
    ],
)
def test_the_summary_the_chart_and_its_data_table_use_one_term_each(halls, lang, terms):
    """One term per figure: the summary's headers, the chart's legend and its data table say the same."""
    client = client_for(halls)
    page = html(client.get(f"/{lang}/console/health/"))
    summary = re.search(r'<table class="health"[^>]*>(.*?)</table>', page, re.S)[1]
    data = re.search(r'<table class="health chart-data" data-chart="queue">(.*?)</table>', page, re.S)[1]
    svg = client.get(re.search(r'<img src="([^"]+)"[^>]*data-chart="queue"', page)[1]).content.decode()
    for term in terms:
        assert term in summary and term in data and term in svg, term
    sizes = {float(x) for x in re.findall(r"font-size: ?([\d.]+)px", svg)}
    assert sizes and min(sizes) >= 11  # ticks, axis label and legend at 11, not the 8 that read small
