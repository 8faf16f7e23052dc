"""Each audit entry names the key its HMAC was made with.

Entries stored before this migration get no key id: their hashes are the unkeyed SHA-256 of before,
which ``audit verify`` does not accept (no deployment held such a trail; see docs/security.md).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_audit_chains")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(default="", max_length=16),
            preserve_default=False,
        ),
    ]
