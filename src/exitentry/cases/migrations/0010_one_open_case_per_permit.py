"""One open application per permit (``cases.services.one_per_permit``), as a partial unique index. A
database holding two open applications on one permit stops here with a message naming them (a
``CommandError``, no traceback) before the index is added; ``exitentry cases open-duplicates`` lists
them ahead of the upgrade."""

from django.conf import settings
from django.core.management.base import CommandError
from django.db import migrations, models

from exitentry.cases import open_duplicates

# The open states as they stood when this migration was written (``lifecycle.OPEN_STATES``).
OPEN_STATES = [
    "accepted",
    "approved",
    "deficient",
    "draft",
    "issued",
    "ministry_review",
    "pre_examined",
    "ready",
    "received",
    "submitted",
]


def refuse_duplicates(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    found = open_duplicates.find(
        Case.objects.using(schema_editor.connection.alias).filter(state__in=OPEN_STATES)
    )
    if found:
        raise CommandError(open_duplicates.message(found))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0014_translated_model_names"),
        ("cases", "0009_translated_model_names"),
        ("registry", "0012_translated_model_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(("permit__isnull", False), ("state__in", OPEN_STATES)),
                fields=("permit",),
                name="case_one_open_per_permit",
            ),
        ),
    ]
