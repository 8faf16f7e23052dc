"""Articles cited where one rule reaches several procedures: the one-time notice of what is missing, by
the procedure's own article (Regulations Art. 18 para. 2 for a residence permit, Art. 13 para. 2 for a
visa or a stay permit, seed 004), and the health certificate, by the paragraph that asks it (Art. 16
para. 2), the same in every guide."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.catalog import catalog
from exitentry.law.intake import one_time_notice

ON = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("procedure", "article"),
    [
        ("rp-personal-affairs", "Art. 18 para. 2"),
        ("rp-personal-affairs-extension", "Art. 18 para. 2"),
        ("rp-work", "Art. 18 para. 2"),
        ("one-stop-work-permits", "Art. 18 para. 2"),
        ("one-stop-work-permits-renewal", "Art. 18 para. 2"),
        ("visa-extension", "Art. 13 para. 2"),
        ("stay-permit", "Art. 13 para. 2"),
    ],
)
def test_the_one_time_notice_cites_the_article_of_its_procedure(procedure: str, article: str) -> None:
    assert [(c.source, c.section) for c in one_time_notice(catalog().procedure(procedure))] == [
        ("regulations", article)
    ]


# The procedures whose sources require no notice at one time (neither Art. 13 para. 2 nor Art. 18 para. 2
# reaches them, and seeds 001 and 003 say nothing of it): the hall tells what is missing at one time all the
# same, a recorded choice that says so where it is cited.
BY_ANALOGY = "Art. 18 para. 2 (applied by analogy: the sources do not say this for this application)"
NO_RULE_OF_THEIR_OWN = [
    "pr-application",
    "pr-card-renewal",
    "pr-card-change",
    "pr-card-replacement",
    "pr-card-reissue",
    "pr-zhongguancun",
    "study-part-time-endorsement",
    "exit-without-passport",
]


@pytest.mark.parametrize("procedure", NO_RULE_OF_THEIR_OWN)
def test_where_no_source_requires_it_the_one_time_notice_is_cited_as_a_recorded_choice(
    procedure: str,
) -> None:
    cited = one_time_notice(catalog().procedure(procedure))
    assert [(c.source, c.section) for c in cited] == [("regulations", BY_ANALOGY)]
    assert cited[0].label.en.endswith(
        "Art. 18 para. 2 (applied by analogy: the sources do not say this for this application)"
    )
    assert cited[0].label.zh.endswith("第十八条第二款（参照适用：依据文件对本事项未作规定）")


def test_every_procedure_says_on_what_basis_its_notice_lists_everything_at_one_time() -> None:
    """The applicant's page and the notice's PDF promise a list made at one time for every procedure, so
    each carries a basis: its own article, or the recorded choice."""
    assert [p.id for p in catalog().procedures.values() if not one_time_notice(p)] == []


def test_every_health_certificate_line_cites_the_paragraph_that_asks_it() -> None:
    cat = catalog()
    seen = {}
    for procedure in cat.procedures.values():
        for line in procedure.on(cat.parameters, ON).rules.get("health", ()):
            regulations = [c.section for c in line.cite if c.source == "regulations"]
            if regulations:
                seen[(procedure.id, line.id)] = regulations
    assert seen and set(map(tuple, seen.values())) == {("Art. 16 para. 2",)}, seen


@pytest.mark.parametrize("parameter", ["health-certificate-validity-over", "health-certificate-validity"])
def test_the_health_certificate_parameters_cite_the_same_paragraph(parameter: str) -> None:
    cites = catalog().parameters[parameter].value_on(ON).cite
    assert [c.section for c in cites if c.source == "regulations"] == ["Art. 16 para. 2"]
