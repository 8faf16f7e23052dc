"""The interface translations: complete, and the committed .mo files are the compiled .po files."""

from __future__ import annotations

import re

import polib
import pytest

from exitentry.web.i18n import LOCALE_DIR, compile_po, po_files

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
