"""Every mode the catalog gives a submission or interview line has a label in both languages: the pages
never print a mode's id (``walk-in``)."""

from __future__ import annotations

import pytest

from exitentry.law.catalog import catalog
from exitentry.web import labels

pytestmark = pytest.mark.django_db

LABELS = {"submission": labels.SUBMISSION_MODES, "interview": labels.INTERVIEW_MODES}


@pytest.mark.parametrize("section", LABELS)
def test_every_mode_in_the_catalog_has_a_label(section):
    modes = {r.mode for p in catalog().procedures.values() for r in p.rules.get(section, ()) if r.mode}
    assert modes, section
    assert modes - set(LABELS[section]) == set()


@pytest.mark.parametrize(("prefix", "label"), [("/en", "No appointment"), ("/zh-hans", "无需预约")])
def test_the_one_stop_guide_names_the_walk_in_line_in_words(client, prefix, label):
    page = client.get(f"{prefix}/guide/one-stop-work-permits/").content.decode()
    assert "walk-in" not in page
    assert f"{label}</" in page or f"{label} " in page or f"{label}：" in page or f"{label}:" in page


@pytest.mark.parametrize(
    ("prefix", "label", "line"),
    [
        ("/en", "No appointment", "bring the paper documents to a one-stop counter in its opening hours"),
        ("/zh-hans", "无需预约", "在办公时间内直接到“两证联办”窗口提交纸质材料"),
    ],
)
def test_the_walk_in_line_does_not_repeat_its_label(client, prefix, label, line):
    """The tag says there is no appointment; the line beside it says what to do, not the tag again."""
    page = client.get(f"{prefix}/guide/one-stop-work-permits/").content.decode()
    assert line in page
    assert f"{label}</span>" in page
    assert "no appointment is needed" not in page and "提交纸质材料，无需预约" not in page
