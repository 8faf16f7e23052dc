"""From an article to the code: every catalog line, rule function and parameter that cites it."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.provisions import section_matches, what_cites
from exitentry.law.sources import UnknownSource

ON = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("cited", "asked", "matches"),
    [
        pytest.param("Art. 14", "Art. 14", True, id="the article itself"),
        pytest.param("Art. 14 para. 2", "Art. 14", True, id="a paragraph of it"),
        pytest.param("Art. 14(1)", "Art. 14", True, id="an item of it"),
        pytest.param("Art. 140", "Art. 14", False, id="not Art. 140"),
        pytest.param("Art. 1", "Art. 14", False, id="not a shorter article"),
        pytest.param("Fees (Application)", "fees", True, id="a guide's section, in any case"),
    ],
)
def test_a_section_asked_for_matches_itself_and_its_parts_only(cited: str, asked: str, matches: bool) -> None:
    assert section_matches(cited, asked) is matches


def test_art_14_is_cited_by_the_visa_extension_lines_and_the_function_that_computes_the_cap() -> None:
    refs = {(c.kind, c.ref) for c in what_cites("regulations", "Art. 14", ON)}
    assert ("rule", "visa-extension eligibility.within-extension-cap") in refs
    assert ("rule", "visa-extension notes.purpose-unchanged") in refs  # Art. 14 para. 2
    assert ("rule-function", "exitentry.law.rules.stay.max_extension_days") in refs
    assert all(c.cite.section.startswith("Art. 14") for c in what_cites("regulations", "Art. 14", ON))


def test_art_18_lists_the_receipt_lines_with_their_number_and_the_parameter_that_holds_it() -> None:
    found = what_cites("regulations", "Art. 18", ON)
    receipt = next(c for c in found if c.ref == "rp-work time_limits.receipt-validity")
    assert "15 working days" in receipt.text.en and "15个工作日" in receipt.text.zh
    (parameter,) = [c for c in found if c.kind == "parameter"]
    assert parameter.ref == "residence-permit-receipt-validity"
    assert "15 working days, in force from 2013-09-01" in parameter.text.en


def test_obligations_halls_visas_grounds_and_permit_validities_are_listed_too() -> None:
    kinds = {
        c.kind
        for s in ("regulations", "exit-entry-law", "bj-personal-affairs", "bj-permanent-residence")
        for c in what_cites(s, None, ON)
    }
    assert {
        "procedure",
        "rule",
        "obligation",
        "hall",
        "visa",
        "ground",
        "permit-validity",
        "rule-function",
        "parameter",
    } <= kinds


def test_an_unknown_source_is_refused_naming_the_sources_there_are() -> None:
    with pytest.raises(UnknownSource, match="regulations") as raised:
        what_cites("regulation", "Art. 14", ON)
    assert raised.value.text.zh.startswith("没有“regulation”")


def test_a_fresh_process_that_imports_only_the_index_has_every_rule_function_of_the_law_core() -> None:
    """The index records every ``@cites`` of the law core by itself, not only those some other import
    happened to load first (public_notice and holding were missing when nothing else imported them)."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    import exitentry.law

    law_dir = Path(exitentry.law.__file__).parent
    expected = {
        ".".join(("exitentry.law", *path.relative_to(law_dir).with_suffix("").parts))
        for path in law_dir.rglob("*.py")
        if re.search(r"^@cites\(", path.read_text(encoding="utf-8"), re.M)
    }
    listed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from exitentry.law.provisions import RULE_FUNCTIONS as F\n"
            "print('\\n'.join(sorted({f.name.rsplit('.', 1)[0] for f in F.values()})))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "exitentry.law.rules.public_notice" in expected
    assert set(listed) == expected
