"""``law.text.day_text``: a day in words in both languages, the same whatever the process's locale."""

from __future__ import annotations

import locale
import shutil
import subprocess
from datetime import date

import pytest

from exitentry.law.text import MONTHS, day_text


def test_every_month_is_named_in_english_and_numbered_in_chinese() -> None:
    names = [day_text(date(2026, month, 14)).en.split()[1] for month in range(1, 13)]
    assert names == list(MONTHS)
    assert names[0] == "January" and names[8] == "September" and names[11] == "December"
    assert day_text(date(1988, 3, 14)).zh == "1988年3月14日"


@pytest.fixture
def german_time(tmp_path, monkeypatch):
    """LC_TIME set to a German locale built for the test (skipped where the system cannot build one)."""
    if shutil.which("localedef") is None:
        pytest.skip("no localedef to build a locale with")
    built = subprocess.run(
        ["localedef", "-i", "de_DE", "-f", "UTF-8", str(tmp_path / "de_DE.UTF-8")], capture_output=True
    )
    if not (tmp_path / "de_DE.UTF-8").exists():
        pytest.skip(f"the German locale cannot be built here: {built.stderr.decode()[:200]}")
    monkeypatch.setenv("LOCPATH", str(tmp_path))
    before = locale.setlocale(locale.LC_TIME)
    try:
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    except locale.Error:
        pytest.skip("the built German locale cannot be set")
    yield
    locale.setlocale(locale.LC_TIME, before)


def test_the_english_month_stays_english_under_another_time_locale(german_time) -> None:
    assert date(2026, 3, 1).strftime("%B") == "März"  # the locale is in force
    assert day_text(date(2026, 3, 1)).en == "1 March 2026"


def test_a_sentence_continued_after_a_colon_starts_in_lower_case_but_words_in_capitals_stay() -> None:
    """``continued``: the one rule for a sentence carried on after a colon or another word (the proxy
    reasons after "only where:", a fee part's state, when a part is paid): the first word's capital goes
    where the word is capitalised only at its start; "PR", "CNY", "IDs", "Exit-Entry" and "I" stay."""
    from exitentry.law.text import continued

    assert continued("The applicant is under 16") == "the applicant is under 16"
    assert continued("Paid in full") == "paid in full"
    assert continued("Paid when the application is accepted") == "paid when the application is accepted"
    assert continued("A proxy") == "a proxy"
    for kept in (
        "PR holders",
        "CNY 1,500 paid, the rest waived",
        "IDs are copied",
        "Exit-Entry Administration",
    ):
        assert continued(kept) == kept
    assert continued("I") == "I" and continued("") == "" and continued("already lower") == "already lower"
    assert continued("申请人未满16周岁") == "申请人未满16周岁"
