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


@pytest.mark.parametrize("procedure", ["pr-application", "exit-without-passport"])
def test_no_article_of_the_regulations_is_claimed_where_neither_applies(procedure: str) -> None:
    assert one_time_notice(catalog().procedure(procedure)) == ()


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
