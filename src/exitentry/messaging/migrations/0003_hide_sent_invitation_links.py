"""The invitations sent before the outbox hid their links (``accounts.invitations.send_invitation``): their
links hidden as ``redaction.hidden`` hides them, so the outbox holds no working one. One not sent yet keeps
its link: the send it waits for needs it."""

import re

from django.db import migrations

SECRET_IN_PATH = re.compile(r"(/unit/join/)[^/\s\"'?#\[]+")  # redaction.SECRET_IN_PATH, as it was


def hide_sent_links(apps, schema_editor) -> None:
    Message = apps.get_model("messaging", "Message")
    sent = Message.objects.filter(event_key__startswith="unit-invitation:", state="sent")
    for message in sent.only("pk", "body").iterator():
        Message.objects.filter(pk=message.pk).update(
            body=SECRET_IN_PATH.sub(r"\1[token hidden]", message.body)
        )


class Migration(migrations.Migration):
    dependencies = [("messaging", "0002_translated_model_names")]

    operations = [migrations.RunPython(hide_sent_links, migrations.RunPython.noop)]
