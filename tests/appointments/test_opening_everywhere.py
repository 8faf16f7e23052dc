"""A supervisor's closure or extra hours change every "when does the hall open next" the site shows."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, time
from unittest import mock

import pytest

from case_helpers import submitted
from exitentry.appointments.models import DayOverride
from exitentry.appointments.opening import hall_changes
from exitentry.cases import services
from exitentry.cli import main as cli_main
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.web.advisor import planned_day
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db
SUNDAY_AFTERNOON = datetime(2026, 11, 22, 14, 0, tzinfo=BEIJING)
MONDAY = date(2026, 11, 23)


@pytest.fixture
def monday_closed():
    """Both halls taking permanent residence close on Monday; it is Sunday afternoon."""
    boss = officer("reception-hall", "zhongguancun", role="supervisor")
    for hall_id in ("reception-hall", "zhongguancun"):
        DayOverride.objects.create(
            hall_id=hall_id,
            day=MONDAY,
            kind="closed",
            reason="Water pipe burst",
            reason_zh="水管爆裂",
            created_by=boss,
        )
    with (
        mock.patch("exitentry.clock.now", return_value=SUNDAY_AFTERNOON),
        mock.patch("exitentry.web.views.beijing_now", return_value=SUNDAY_AFTERNOON),
    ):
        yield boss


@pytest.mark.usefixtures("monday_closed")
@pytest.mark.parametrize(
    "lang, next_opening, not_shown",
    [
        ("en", "Tue 24 November 2026 09:00", "Mon 23 November 2026 09:00"),
        ("zh-hans", "2026年11月24日（周二）09:00", "2026年11月23日（周一）09:00"),
    ],
)
def test_the_halls_page_skips_a_closed_day_for_the_next_opening(
    client, lang, next_opening, not_shown
) -> None:
    html = client.get(f"/{lang}/halls/").content.decode()
    start = html.index(catalog().halls["reception-hall"].name.get(lang[:2]))
    card = html[start : html.index("</li>", start)]
    assert next_opening in card and not_shown not in card


@pytest.mark.usefixtures("monday_closed")
def test_the_advisor_plans_the_submission_for_the_next_day_the_hall_really_opens() -> None:
    procedure = catalog().procedure("pr-application")
    assert planned_day(procedure, SUNDAY_AFTERNOON.date()) == date(2026, 11, 24)


@pytest.mark.usefixtures("monday_closed")
def test_the_api_gives_the_next_opening_after_the_closure(client) -> None:
    body = client.get("/api/v1/halls/reception-hall", {"at": "2026-11-22T14:00:00+08:00"}).json()
    assert body["next_opening"] == "2026-11-24T09:00:00+08:00"


@pytest.fixture
def sunday_extra_hours():
    """The reception hall opens 15:00-17:00 on Sunday 22 November."""
    DayOverride.objects.create(
        hall_id="reception-hall",
        day=date(2026, 11, 22),
        kind="extra_hours",
        opens=time(15),
        closes=time(17),
        reason="Extra Sunday hours",
        created_by=officer("reception-hall", role="supervisor"),
    )


@pytest.mark.usefixtures("sunday_extra_hours")
def test_extra_hours_on_a_sunday_are_the_next_opening(client) -> None:
    body = client.get("/api/v1/halls/reception-hall", {"at": "2026-11-22T14:00:00+08:00"}).json()
    assert body["next_opening"] == "2026-11-22T15:00:00+08:00" and not body["open_now"]


def test_the_counter_receives_nothing_on_a_day_its_supervisor_closed() -> None:
    user = applicant()
    case = submitted(user, "rp-extension")
    DayOverride.objects.create(
        hall_id=case.hall_id,
        day=TODAY,
        kind="closed",
        reason="Water pipe burst",
        reason_zh="水管爆裂",
        created_by=officer(case.hall_id, role="supervisor"),
    )
    with pytest.raises(services.Refused, match="Water pipe burst") as refused:
        services.receive(
            actor(officer(case.hall_id)),
            case,
            applicant_present=True,
            on=TODAY,
            changes=hall_changes(case.hall_id, TODAY),
        )
    assert refused.value.field == "on" and "水管爆裂" in refused.value.message.zh


@pytest.fixture
def with_database(monkeypatch):
    """The command line finds a database configured (here the test's own)."""
    monkeypatch.setenv("EXITENTRY_DATABASE_URL", os.environ.get("EXITENTRY_DATABASE_URL") or "sqlite://")


@pytest.mark.usefixtures("monday_closed", "with_database")
@pytest.mark.parametrize(
    ("lang", "closed", "said"),
    [
        ("en", "Closed by the hall's decision (Water pipe burst).", "closures and extra hours"),
        ("zh", "大厅决定当日暂停办公（水管爆裂）。", "暂停办公和加开"),
    ],
)
def test_the_centers_command_knows_a_supervisors_closure_and_says_it_read_them(capsys, lang, closed, said):
    status = cli_main(["centers", "--at", "2026-11-23T10:00+08:00", "--lang", lang])
    out = capsys.readouterr().out
    assert status == 0
    block = next(b for b in out.split("\n\n") if b.startswith("reception-hall "))
    assert closed in block and ("2026-11-24 09:00" in block)
    assert said in out.split("\n\n")[-1]


@pytest.mark.usefixtures("with_database", "sunday_extra_hours")
def test_the_centers_command_as_json_knows_extra_hours(capsys) -> None:
    assert cli_main(["centers", "--json", "--at", "2026-11-22T15:30+08:00"]) == 0
    out, err = capsys.readouterr()
    halls = {h["id"]: h for h in json.loads(out)}
    assert halls["reception-hall"]["open_now"] and not halls["zhongguancun"]["open_now"]
    assert "closures and extra hours" in err


@pytest.mark.parametrize(
    "lang, said",
    [
        ("en", "<strong>Fewer counters</strong> (2 counters open)"),
        ("zh-hans", "<strong>减少窗口</strong>（开放2个窗口）"),
    ],
)
def test_the_halls_page_says_how_many_counters_open_in_the_brackets_of_its_language(client, lang, said):
    boss = officer("reception-hall", role="supervisor")
    DayOverride.objects.create(
        hall_id="reception-hall",
        day=MONDAY,
        kind="reduced_counters",
        counters=2,
        reason="Training",
        reason_zh="培训",
        created_by=boss,
    )
    with (
        mock.patch("exitentry.clock.now", return_value=SUNDAY_AFTERNOON),
        mock.patch("exitentry.web.views.beijing_now", return_value=SUNDAY_AFTERNOON),
    ):
        html = client.get(f"/{lang}/halls/").content.decode()
    assert said in html
