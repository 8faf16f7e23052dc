"""Each invitation's seed of its token (``accounts.invitations.token``): one of its own for each that was
already there, as a new one gets (``models.new_token_seed``)."""

import secrets

from django.db import migrations, models

import exitentry.accounts.models


def seed_each(apps, schema_editor) -> None:
    HandlerInvitation = apps.get_model("accounts", "HandlerInvitation")
    for pk in HandlerInvitation.objects.values_list("pk", flat=True).iterator():
        HandlerInvitation.objects.filter(pk=pk).update(token_seed=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0015_held_secrets"),
    ]

    operations = [
        migrations.AddField(
            model_name="handlerinvitation",
            name="token_seed",
            field=models.CharField(
                default=exitentry.accounts.models.new_token_seed, editable=False, max_length=64
            ),
        ),
        migrations.RunPython(seed_each, migrations.RunPython.noop),
    ]
