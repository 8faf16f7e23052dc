"""Every field of every model of this project's apps is named in Chinese when the admin is in Chinese, and so
are the models the admin shows from the libraries (django-tasks-db, django-otp, django-axes), their names and
their fields': a name whose Chinese is its English was left untranslated (a field named by Django from its
attribute, or a name missing from the catalog)."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.utils import translation

# True proper names, the same in both languages (none yet).
SAME_IN_BOTH: frozenset[tuple[str, str]] = frozenset()


def project_models() -> list:
    return [model for model in apps.get_models() if model.__module__.startswith("exitentry.")]


def library_models() -> list:
    """The libraries' models the admin shows."""
    return [model for model in admin.site._registry if not model.__module__.startswith("exitentry.")]


def _same(name) -> bool:
    with translation.override("en"):
        english = str(name)
    with translation.override("zh-hans"):
        return str(name) == english


def _untranslated_fields(models) -> list[str]:
    found = []
    for model in models:
        for field in model._meta.concrete_fields:
            if field.primary_key and field.auto_created:
                continue  # the id Django adds
            if _same(field.verbose_name) and (model._meta.label, field.name) not in SAME_IN_BOTH:
                found.append(f"{model._meta.label}.{field.name}: {str(field.verbose_name)!r}")
    return found


def _untranslated() -> list[str]:
    return _untranslated_fields(project_models())


def test_every_field_of_every_model_is_named_in_chinese() -> None:
    assert _untranslated() == []


def test_every_model_is_named_in_chinese() -> None:
    names = [
        (m._meta.label, n)
        for m in project_models()
        for n in (m._meta.verbose_name, m._meta.verbose_name_plural)
    ]
    assert [f"{label}: {str(name)!r}" for label, name in names if _same(name)] == []


def test_the_libraries_models_the_admin_shows_are_named_in_chinese() -> None:
    models = library_models()
    assert {m._meta.app_label for m in models} >= {"django_tasks_database", "otp_totp", "axes"}
    names = [(m._meta.label, n) for m in models for n in (m._meta.verbose_name, m._meta.verbose_name_plural)]
    untranslated = [f"{label}: {str(name)!r}" for label, name in names if _same(name)]
    assert untranslated + _untranslated_fields(models) == []


def test_the_check_finds_a_field_named_by_django() -> None:
    from exitentry.messaging.models import Message

    field = Message._meta.get_field("attempts")
    kept = field.verbose_name
    try:
        field.verbose_name = "attempts"  # as Django names a field given no name
        assert "messaging.Message.attempts: 'attempts'" in _untranslated()
    finally:
        field.verbose_name = kept
