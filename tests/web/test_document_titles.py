"""People read an article with the title of its document, and the Regulations and the Law by their one
official Chinese title: model choices and help texts, API key scopes, the catalogues and the law core."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.utils.translation import gettext_lazy, override

from cited_text import bare
from exitentry.accounts.api_keys import SCOPES
from exitentry.bilingual import cited
from exitentry.law.sources import source
from exitentry.registry.models import Permit
from exitentry.web.i18n import LOCALE_DIR

SRC = Path(LOCALE_DIR).parent
REGULATIONS = source("regulations").short_title
LAW = source("exit-entry-law").short_title


def _model_labels():
    """Every choice label and help text of the project's models, and each API key scope's words."""
    for model in apps.get_models():
        if not model.__module__.startswith("exitentry."):
            continue
        for field in model._meta.get_fields():
            where = f"{model.__name__}.{field.name}"
            for value, label in getattr(field, "flatchoices", None) or ():
                yield f"{where}={value}", label
            if getattr(field, "help_text", ""):
                yield f"{where} (help)", field.help_text
    for code, scope in SCOPES.items():
        yield f"scope {code}", scope.name
        yield f"scope {code} (does)", scope.does


def test_a_cited_label_names_the_document_from_the_law_core_in_each_languages_brackets():
    label = cited(gettext_lazy("Declared void"), "regulations", "Art. 34")
    with override("en"):
        assert str(label) == f"Declared void ({REGULATIONS.en}, Art. 34)"
    with override("zh-hans"):
        assert str(label) == f"宣布作废（《{REGULATIONS.zh}》第三十四条）"


def test_every_choice_help_text_and_scope_names_the_document_of_its_article():
    found = []
    for where, label in _model_labels():
        with override("en"):
            en = str(label)
        with override("zh-hans"):
            zh = str(label)
        found += [f"{where}: {said}" for said in bare(en, zh)]
    assert found == []


def test_a_permits_void_and_cancelled_states_name_the_regulations():
    with override("en"):
        assert str(Permit.Status.VOID.label) == f"Declared void ({REGULATIONS.en}, Art. 34)"
    with override("zh-hans"):
        assert str(Permit.Status.CANCELLED.label) == f"注销或收缴（《{REGULATIONS.zh}》第三十五条）"


def test_the_law_core_gives_each_document_its_full_official_chinese_title():
    assert REGULATIONS.zh == "中华人民共和国外国人入境出境管理条例"
    assert LAW.zh == "中华人民共和国出境入境管理法"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_every_catalogue_string_names_the_document_of_its_article(language):
    po = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    found = [
        e.msgid for e in po if not e.obsolete and bare(e.msgid, e.msgstr if language == "zh_Hans" else "")
    ]
    assert found == []


def test_no_source_names_the_regulations_or_the_law_by_a_shorter_chinese_title():
    """Templates, Python and the catalog's data: the short forms only ever inside the full title."""
    shorter = re.compile(r"(?<!中华人民共和国)(?:外国人入境出境管理条例|出境入境管理法)")
    found = [
        f"{path.relative_to(SRC)}: {line.strip()[:80]}"
        for path in SRC.rglob("*")
        if path.suffix in {".py", ".html", ".yaml", ".txt"} and "migrations" not in path.parts
        for line in path.read_text(encoding="utf-8").splitlines()
        if shorter.search(line)
    ]
    assert found == []
