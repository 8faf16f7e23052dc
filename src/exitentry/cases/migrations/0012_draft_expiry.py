"""Drafts expire when left untouched (``cases.expiry``): the day a case was last changed, the ``expired``
state, case events the system makes (no actor) and the index of the drafts by that day. A draft stored
before gets today as its last change, so none expires without its reminder first."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import exitentry.clock


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0014_translated_model_names"),
        ("cases", "0011_refusals_closed"),
        ("registry", "0013_port_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="touched_at",
            field=models.DateTimeField(default=exitentry.clock.now),
        ),
        migrations.AlterField(
            model_name="case",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Submitted"),
                    ("pre_examined", "Passed pre-examination"),
                    ("received", "Materials received at the hall"),
                    ("deficient", "Waiting for missing materials"),
                    ("accepted", "Accepted (receipt issued)"),
                    ("ministry_review", "With the Ministry for approval"),
                    ("approved", "Approved"),
                    ("refused", "Refused"),
                    ("issued", "Permit issued"),
                    ("ready", "Ready for pick-up"),
                    ("collected", "Collected"),
                    ("withdrawn", "Withdrawn"),
                    ("expired", "Expired"),
                ],
                default="draft",
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("state", "draft")), fields=["touched_at"], name="case_draft_touched"
            ),
        ),
    ]
