"""The grounds of the Regulations (Arts. 21, 25, 26, 34, 35; rules.grounds and catalog/grounds.yaml)."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.rules.grounds import UnknownGround, ground, ground_kind, grounds

ON = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("kind", "ids", "article"),
    [
        pytest.param(
            "refusal",
            (
                "refusal-materials-not-provided",
                "refusal-fraud",
                "refusal-unsuitable-after-violation",
                "refusal-other",
            ),
            "Art. 21",
            id="Art. 21 lists four refusal grounds in order",
        ),
        pytest.param(
            "void",
            (
                "void-damaged-lost-stolen-robbed",
                "void-ordered-out-not-confiscated",
                "void-reason-changed-unreported",
                "void-law-refusal-grounds",
            ),
            "Art. 34",
            id="Art. 34 lists four voiding grounds in order",
        ),
        pytest.param(
            "cancellation",
            ("cancel-declared-void-or-misused", "cancel-obtained-illegally", "cancel-ordered-out"),
            "Art. 35",
            id="Art. 35 lists three cancellation grounds in order",
        ),
        pytest.param(
            "unit-report",
            (
                "report-employee-resigns-or-moves",
                "report-student-leaves",
                "report-violation",
                "report-death-or-missing",
            ),
            "Art. 26",
            id="Art. 26 lists four events a unit reports in order",
        ),
        pytest.param(
            "illegal-residence",
            (
                "illegal-overstay",
                "illegal-visa-free-overstay",
                "illegal-outside-restricted-area",
                "illegal-other",
            ),
            "Art. 25",
            id="Art. 25 lists four circumstances of illegal residence in order",
        ),
    ],
)
def test_each_kind_lists_its_article_items_in_order(kind: str, ids: tuple[str, ...], article: str) -> None:
    listed = [g for g in grounds(kind, ON) if g.cite[0].source == "regulations"]  # the article's own
    assert tuple(g.id for g in listed) == ids
    for number, g in enumerate(listed, start=1):
        assert g.item == f"({number})"
        assert ("regulations", f"{article}({number})") == (g.cite[0].source, g.cite[0].section)
        assert g.text.en and g.text.zh
    assert (ground_kind(kind).cite[0].section) == article


def test_beside_art_35_a_permit_is_cancelled_on_the_holders_death_under_the_law() -> None:
    """Exit and Entry Administration Law Art. 40 para. 2, after the article's items: the only other."""
    others = [g for g in grounds("cancellation", ON) if g.cite[0].source != "regulations"]
    assert [(g.id, g.cite[0].source, g.cite[0].section) for g in others] == [
        ("cancel-holder-died", "exit-entry-law", "Art. 40 para. 2")
    ]


def test_a_unit_reports_promptly() -> None:
    deadline = ground_kind("unit-report").deadline
    assert deadline is not None
    assert (deadline.en, deadline.zh) == ("promptly on discovering it", "发现后及时报告")


@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        pytest.param(
            "void",
            "on the spot or by announcement",
            id="voiding may be declared on the spot or by announcement",
        ),
        pytest.param(
            "cancellation",
            "promptly notifies the issuing authority",
            id="a cancellation is notified to the issuing authority",
        ),
    ],
)
def test_what_the_article_adds_after_its_list(kind: str, fragment: str) -> None:
    note = ground_kind(kind).note
    assert note is not None and fragment in note.en


def test_the_law_refusal_ground_cites_the_articles_of_the_law_it_refers_to() -> None:
    cited = {(c.source, c.section) for c in ground("void-law-refusal-grounds").cite}
    assert {("exit-entry-law", "Art. 21"), ("exit-entry-law", "Art. 31")} <= cited


def test_a_ground_is_found_by_its_id_with_its_kind() -> None:
    found = ground("refusal-fraud")
    assert (found.kind, found.item, found.text.zh) == ("refusal", "(2)", "在申请过程中弄虚作假的")


def test_an_unknown_ground_id_is_a_clear_error_naming_it() -> None:
    with pytest.raises(UnknownGround, match="no ground 'refusal-bribery'"):
        ground("refusal-bribery")


def test_an_unknown_kind_is_a_clear_error_listing_the_kinds() -> None:
    with pytest.raises(UnknownGround, match="no kind of ground 'appeal'.*refusal, void, cancellation"):
        grounds("appeal", ON)


@pytest.mark.parametrize(
    ("on", "count"),
    [
        pytest.param(date(2013, 8, 31), 0, id="no ground is in force before the Regulations"),
        pytest.param(date(2013, 9, 1), 4, id="all four refusal grounds are in force from 1 September 2013"),
    ],
)
def test_grounds_are_in_force_from_the_regulations(on: date, count: int) -> None:
    assert len(grounds("refusal", on)) == count


def test_a_grounds_item_is_numbered_in_chinese_as_the_regulations_print_it():
    """Regulations Art. 21 lists its grounds "（一）……（四）"; an English page keeps "(1)"; an item that is an
    article reads as the article."""
    assert ground("refusal-materials-not-provided").label.as_dict() == {"en": "(1)", "zh": "（一）"}
    assert ground("refusal-other").label.zh == "（四）"
    assert ground("first-refusal-law-art-31").label.as_dict() == {"en": "Art. 31", "zh": "第三十一条"}
