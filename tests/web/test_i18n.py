"""The interface translations: complete, and the committed .mo files are the compiled .po files."""

from __future__ import annotations

import re

import polib
import pytest

from exitentry.web.i18n import LOCALE_DIR, compile_po, po_files
from exitentry.web.marked_strings import PACKAGE_DIR, catalogue, marked_in, unused, used

PO_FILES = po_files()


def test_both_languages_have_a_catalog():
    assert {p.parent.parent.name for p in PO_FILES} == {"zh_Hans", "en"}


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: f"{p.parent.parent.name} .mo is the compiled .po")
def test_the_committed_mo_is_what_polib_compiles_from_the_po(po_path, tmp_path):
    compiled = tmp_path / "django.mo"
    compile_po(po_path, compiled)
    committed = po_path.with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing: run python -m exitentry.web.i18n"
    assert compiled.read_bytes() == committed.read_bytes(), (
        "run python -m exitentry.web.i18n and commit the .mo"
    )


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_every_interface_string_is_translated(language):
    po = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 50
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_the_chinese_translations_keep_the_placeholders():
    po = polib.pofile(str(LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in po:
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(entry.msgid)), entry.msgid


@pytest.mark.django_db
def test_an_english_page_shows_no_chinese_interface_strings(client):
    """English must not fall back to the default language (zh-hans) for a string it lacks."""
    html = client.get("/en/advisor/rp-personal-affairs/").content.decode()
    for text in ("您的回答", "继续", "计划递交日期", "全部办事事项"):
        assert text not in html


@pytest.fixture(scope="module")
def marked_here() -> set:
    return marked_in(PACKAGE_DIR)


@pytest.fixture(scope="module")
def used_anywhere() -> set:
    return used()


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_every_string_the_code_and_the_templates_mark_is_in_the_catalog(language, marked_here):
    """Model fields, choices, validation messages and every template's strings: a page shows none untranslated."""
    in_catalog = catalogue(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")
    assert len(marked_here) > 1000
    assert sorted(marked_here - in_catalog, key=repr) == []


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_catalog_holds_no_entry_that_no_source_marks(language, used_anywhere):
    """An entry whose text the code or a template no longer has (a string reworded, a page removed) goes:
    ``python -m exitentry.web.marked_strings --prune``. Strings of installed libraries (django-axes) count."""
    assert unused(LOCALE_DIR / language / "LC_MESSAGES" / "django.po", used_anywhere) == []


def test_a_label_in_both_languages_is_the_catalogues_whatever_the_active_language():
    """``bilingual.in_both``: one way to give a msgid or a lazy label in both languages (errors, the API)."""
    from django.utils.translation import override

    from exitentry.bilingual import in_both
    from exitentry.cases.lifecycle import State, state_label

    with override("zh-hans"):
        said = in_both("Tick the box to confirm.")
    assert (said.en, said.zh) == ("Tick the box to confirm.", "请勾选以确认。")
    with override("en"):
        assert in_both(State.ACCEPTED.label) == state_label("accepted")
    assert state_label("accepted").en != state_label("accepted").zh
