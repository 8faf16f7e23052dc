"""Illegal residence (Regulations Art. 25) and the meaning of a stay (Art. 36(2)-(5)); rules.residence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from exitentry.law.calendar import BEIJING
from exitentry.law.rules.residence import (
    Situation,
    authorised_stay,
    illegal_residence,
    term_of,
)

D = date.fromisoformat
LAST_DAY = D("2026-03-31")


def beijing(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("situation", "at", "illegal", "grounds"),
    [
        pytest.param(
            Situation(authorised_until=LAST_DAY),
            beijing("2026-03-31T23:59:59"),
            False,
            (),
            id="on the last valid day at 23:59:59 Beijing time the stay is legal",
        ),
        pytest.param(
            Situation(authorised_until=LAST_DAY),
            beijing("2026-04-01T00:00:00"),
            True,
            ("illegal-overstay",),
            id="at 00:00 Beijing time the next day it is an overstay",
        ),
        pytest.param(
            Situation(authorised_until=LAST_DAY),
            utc("2026-03-31T15:59:59"),
            False,
            (),
            id="15:59:59 UTC on the last day is 23:59:59 in Beijing and legal",
        ),
        pytest.param(
            Situation(authorised_until=LAST_DAY),
            utc("2026-03-31T16:00:00"),
            True,
            ("illegal-overstay",),
            id="16:00 UTC on the last day is midnight in Beijing and an overstay",
        ),
        pytest.param(
            Situation(authorised_until=LAST_DAY),
            datetime(2026, 3, 31, 12, 30, tzinfo=timezone(timedelta(hours=-5))),
            True,
            ("illegal-overstay",),
            id="12:30 in New York on the last day is already the next day in Beijing",
        ),
        pytest.param(
            Situation(authorised_until=LAST_DAY),
            D("2026-03-31"),
            False,
            (),
            id="a date alone on the last valid day is legal",
        ),
        pytest.param(
            Situation(authorised_until=LAST_DAY),
            D("2026-04-01"),
            True,
            ("illegal-overstay",),
            id="a date alone the day after is an overstay",
        ),
        pytest.param(
            Situation(visa_free_until=D("2026-05-10")),
            beijing("2026-05-11T00:00:01"),
            True,
            ("illegal-visa-free-overstay",),
            id="a visa-free entrant past the visa-free period without a permit resides illegally",
        ),
        pytest.param(
            Situation(visa_free_until=D("2026-05-10")),
            beijing("2026-05-10T22:00:00"),
            False,
            (),
            id="a visa-free entrant on the last visa-free evening is legal",
        ),
        pytest.param(
            Situation(visa_free_until=D("2026-05-10"), authorised_until=D("2026-08-10")),
            beijing("2026-06-01T09:00:00"),
            False,
            (),
            id="a visa-free entrant who got a stay permit is legal while it runs",
        ),
        pytest.param(
            Situation(authorised_until=LAST_DAY, receipt_valid_until=D("2026-04-09")),
            beijing("2026-04-09T20:00:00"),
            False,
            (),
            id="a valid acceptance receipt keeps the stay legal after the permit ran out",
        ),
        pytest.param(
            Situation(authorised_until=LAST_DAY, receipt_valid_until=D("2026-04-09")),
            beijing("2026-04-10T00:00:00"),
            True,
            ("illegal-overstay",),
            id="once the receipt runs out too the stay is an overstay",
        ),
        pytest.param(
            Situation(visa_free_until=D("2026-05-10"), receipt_valid_until=D("2026-05-20")),
            beijing("2026-05-15T10:00:00"),
            False,
            (),
            id="a visa-free entrant holding a receipt for a stay permit is legal",
        ),
        pytest.param(
            Situation(authorised_until=LAST_DAY, outside_restricted_area=True),
            beijing("2026-03-15T10:00:00"),
            True,
            ("illegal-outside-restricted-area",),
            id="activities outside the restricted area are illegal even within the stay",
        ),
        pytest.param(
            Situation(authorised_until=LAST_DAY, outside_restricted_area=True),
            beijing("2026-04-02T10:00:00"),
            True,
            ("illegal-overstay", "illegal-outside-restricted-area"),
            id="an overstay outside the restricted area holds both grounds",
        ),
    ],
)
def test_illegal_residence(
    situation: Situation, at: datetime | date, illegal: bool, grounds: tuple[str, ...]
) -> None:
    verdict = illegal_residence(situation, at)
    assert verdict.illegal is illegal
    assert tuple(g.id for g in verdict.grounds) == grounds
    assert (verdict.basis is None) is (
        "illegal-overstay" in grounds or "illegal-visa-free-overstay" in grounds
    )
    assert verdict.at.utcoffset() == timedelta(hours=8)


def test_the_verdict_names_what_covers_the_stay_and_until_when() -> None:
    verdict = illegal_residence(
        Situation(authorised_until=LAST_DAY, receipt_valid_until=D("2026-04-09")),
        beijing("2026-04-05T10:00:00"),
    )
    assert verdict.basis is not None
    assert verdict.basis.until == beijing("2026-04-10T00:00:00")
    assert {(c.source, c.section) for c in verdict.basis.cite} == {
        ("regulations", "Art. 13 para. 3"),
        ("regulations", "Art. 18 para. 3"),
    }
    assert "acceptance receipt" in verdict.basis.text.en and "受理回执" in verdict.basis.text.zh


def test_an_overstay_cites_article_25_item_1() -> None:
    (found,) = illegal_residence(Situation(authorised_until=LAST_DAY), D("2026-04-01")).grounds
    assert [(c.source, c.section) for c in found.cite] == [("regulations", "Art. 25(1)")]


def test_an_instant_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        illegal_residence(Situation(authorised_until=LAST_DAY), datetime(2026, 3, 31, 23, 0))


def test_a_situation_without_any_period_is_refused() -> None:
    with pytest.raises(ValueError, match="authorised_until"):
        illegal_residence(Situation(receipt_valid_until=LAST_DAY), D("2026-03-01"))


@pytest.mark.parametrize(
    ("entry", "days", "last_day", "expires"),
    [
        pytest.param(
            "2026-03-01",
            30,
            "2026-03-31",
            "2026-04-01T00:00:00",
            id="30 days from entry on 1 March end on 31 March",
        ),
        pytest.param(
            "2026-01-31",
            30,
            "2026-03-02",
            "2026-03-03T00:00:00",
            id="30 days from entry on 31 January end on 2 March",
        ),
        pytest.param(
            "2026-12-20",
            15,
            "2027-01-04",
            "2027-01-05T00:00:00",
            id="15 days from entry on 20 December end on 4 January",
        ),
    ],
)
def test_a_stay_counts_from_the_day_after_entry(entry: str, days: int, last_day: str, expires: str) -> None:
    stay = authorised_stay(D(entry), days)
    assert stay.last_day == D(last_day)
    assert stay.expires_at == beijing(expires)
    assert ("regulations", "Art. 36(3)") in {(c.source, c.section) for c in stay.cite}


@pytest.mark.parametrize(
    ("days", "long_term", "section"),
    [
        pytest.param(180, False, "Art. 36(4)", id="a stay of 180 days is short-term"),
        pytest.param(181, True, "Art. 36(5)", id="a stay of 181 days is long-term"),
        pytest.param(1, False, "Art. 36(4)", id="a stay of one day is short-term"),
    ],
)
def test_short_and_long_term(days: int, long_term: bool, section: str) -> None:
    term = term_of(days, D("2026-11-22"))
    assert term.long_term is long_term
    assert [(c.source, c.section) for c in term.cite] == [("regulations", section)]
    assert term.text.en and term.text.zh


def test_a_stay_of_no_days_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        term_of(0, D("2026-11-22"))


# --- the acceptance receipt (Arts. 13 and 18 para. 3) --------------------------------------------------


def test_a_residence_permits_receipt_says_the_holder_resides_legally_citing_art_18_para_3() -> None:
    """Regulations Art. 18 para. 3: while the passport is held for processing, a residence permit's receipt
    is the holder's lawful residence (居留); the one sentence the case page and the printed receipt say."""
    from exitentry.law.catalog import catalog
    from exitentry.law.rules.residence import receipt_validity

    rule = receipt_validity(D("2025-03-18"), catalog().procedure("rp-work"))
    assert rule.reside.en == (
        "While the applicant's passport or other international travel document is kept for processing, "
        "the holder may reside legally in China with this receipt."
    )
    assert (
        rule.reside.zh
        == "申请人的护照或者其他国际旅行证件因办理证件被留存期间，可以凭本回执在中国境内合法居留。"
    )
    assert not rule.by_analogy and "analogy" not in rule.reside.en
    assert [(c.source, c.section) for c in rule.cite] == [("regulations", "Art. 18 para. 3")]


def test_a_visa_extensions_receipt_says_the_holder_stays_legally_citing_art_13_para_3() -> None:
    """Regulations Art. 13 para. 3 (visa extension, renewal, reissue, stay permit): the holder may *stay*
    (停留) with the receipt, not reside; only Art. 18 (residence permits) says reside (居留)."""
    from exitentry.law.catalog import catalog
    from exitentry.law.rules.residence import receipt_validity

    for procedure in ("visa-extension", "stay-permit"):
        rule = receipt_validity(D("2025-03-12"), catalog().procedure(procedure))
        assert rule.reside.en == (
            "While the applicant's passport or other international travel document is kept for processing, "
            "the holder may stay legally in China with this receipt."
        )
        assert rule.reside.zh == (
            "申请人的护照或者其他国际旅行证件因办理证件被留存期间，可以凭本回执在中国境内合法停留。"
        )
        assert "居留" not in rule.reside.zh and "reside" not in rule.reside.en and not rule.by_analogy
        assert [(c.source, c.section) for c in rule.cite] == [("regulations", "Art. 13 para. 3")]


def test_a_receipt_without_a_period_applies_para_3_by_analogy_and_says_so() -> None:
    """Permanent residence (and the study-permit endorsement, the exit formalities): Arts. 13 and 18 are on
    visas, stay permits and residence permits, and the sources give these receipts no period. The hall
    applies para. 3 to them by analogy, as the text and every citation say."""
    from exitentry.law.catalog import catalog
    from exitentry.law.rules.residence import receipt_validity

    for procedure in ("pr-application", "study-part-time-endorsement", "exit-without-passport"):
        rule = receipt_validity(None, catalog().procedure(procedure))
        assert rule.by_analogy
        assert "by analogy" in rule.reside.en and "recorded choice" not in rule.reside.en
        assert "参照" in rule.reside.zh and "记录的选择" not in rule.reside.zh
        assert "reside legally in China with this receipt" in rule.reside.en
        assert "by analogy" in rule.text.en and "参照" in rule.text.zh
        assert all("applied by analogy" in c.section for c in rule.cite)
        assert {c.section.split(" (")[0] for c in rule.cite} == {"Art. 13 para. 3", "Art. 18 para. 3"}
        assert all("参照适用" in c.label.zh for c in rule.cite)


def test_every_procedure_with_a_receipt_line_is_reached_by_art_13_or_18() -> None:
    """A receipt with a period is a visa's, stay permit's or residence permit's: it says stay or reside in
    its own article's words, never by analogy."""
    from exitentry.law.catalog import catalog
    from exitentry.law.rules.residence import receipt_article

    for p in catalog().procedures.values():
        if "receipt-validity" in {t.id for t in p.rules.get("time_limits", ())}:
            assert receipt_article(p) in {"13", "18"}, p.id


def test_only_procedures_arts_13_and_18_do_not_reach_have_a_receipt_without_a_period() -> None:
    """The analogy is for the procedures whose receipt has no period: none of them is a visa, stay-permit or
    residence-permit application (those have their receipt line, Art. 13 or 18)."""
    from exitentry.law.catalog import catalog

    without = {
        p.id
        for p in catalog().procedures.values()
        if "receipt-validity" not in {t.id for t in p.rules.get("time_limits", ())}
    }
    assert {p for p in without if not p.startswith("pr-")} == {
        "study-part-time-endorsement",
        "exit-without-passport",
    }
