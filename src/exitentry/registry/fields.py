"""A text column for what people type: stored and compared in NFC, trimmed, checked by ``typed_text``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from exitentry.registry import names
from exitentry.typed_text import Localized, normal, problem


class TypedTextField(models.CharField):
    """A ``CharField`` whose value is normalised before it is validated, stored or looked up, and refused
    (never cut) when it is empty where required, holds a control character or is too long."""

    def to_python(self, value):
        value = super().to_python(value)
        return normal(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normal(value) if isinstance(value, str) else value

    def validate(self, value, model_instance) -> None:
        why = problem(value or "", limit=self.max_length, required=not self.blank)
        if why is not None:
            raise ValidationError(Localized(why), code="typed_text")
        super().validate(value, model_instance)


class NameField(TypedTextField):
    """A part of a person's name: ``registry.names`` says what it may hold (checked before the column's
    own limit, so the error names the name's limit)."""

    def validate(self, value, model_instance) -> None:
        why = names.problem(value or "")
        if why is not None:
            raise ValidationError(Localized(why), code="name")
        super().validate(value, model_instance)
