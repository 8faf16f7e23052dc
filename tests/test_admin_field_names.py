"""Every field of every model of this project's apps the admin shows is named in Chinese when the admin is
in Chinese: a field whose Chinese name is its English one was left untranslated (a field named by Django
from its attribute, or a name missing from the catalog). The libraries' models (django-tasks-db,
django-otp) are theirs to translate."""

from __future__ import annotations

from django.contrib import admin
from django.utils import translation

# True proper names, the same in both languages (none yet).
SAME_IN_BOTH: frozenset[tuple[str, str]] = frozenset()


def _untranslated() -> list[str]:
    found = []
    for model in admin.site._registry:
        if not model.__module__.startswith("exitentry."):
            continue
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete or getattr(field, "primary_key", False):
                continue  # reverse relations and the id: not the model's own fields
            with translation.override("en"):
                english = str(field.verbose_name)
            with translation.override("zh-hans"):
                chinese = str(field.verbose_name)
            if chinese == english and (model._meta.label, field.name) not in SAME_IN_BOTH:
                found.append(f"{model._meta.label}.{field.name}: {english!r}")
    return found


def test_every_field_the_admin_shows_is_named_in_chinese() -> None:
    assert _untranslated() == []


def test_the_check_finds_a_field_named_by_django() -> None:
    from exitentry.messaging.models import Message

    field = Message._meta.get_field("attempts")
    kept = field.verbose_name
    try:
        field.verbose_name = "attempts"  # as Django names a field given no name
        assert "messaging.Message.attempts: 'attempts'" in _untranslated()
    finally:
        field.verbose_name = kept
