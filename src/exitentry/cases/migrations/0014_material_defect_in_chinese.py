"""What is wrong with a file, in Chinese beside the English, so a bilingual one-time notice prints
each language's own line (``Material.defect_text``)."""

from django.db import migrations

import exitentry.registry.fields


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_case_travel_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="material",
            name="defect_zh",
            field=exitentry.registry.fields.TypedTextField(
                blank=True, help_text="What is wrong, in Chinese, set by the officer", max_length=300
            ),
        ),
    ]
