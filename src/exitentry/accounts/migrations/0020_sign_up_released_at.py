from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0019_applicant_sign_up"),
    ]

    operations = [
        migrations.AddField(
            model_name="signup",
            name="released_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
