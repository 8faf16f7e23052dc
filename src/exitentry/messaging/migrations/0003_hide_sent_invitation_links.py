"""The invitations the outbox stored with their links before it hid them (``accounts.invitations``): their
links hidden as ``redaction.hidden`` hides them, so the outbox holds no working one, except in a message a
delivery task still waits to send (queued, or failed with a try to come): that send needs its link, and the
outbox hides it once sent or failed for good (``messaging.tasks.send_now``)."""

import re

from django.db import migrations

SECRET_IN_PATH = re.compile(r"(/unit/join/)[^/\s\"'?#\[]+")  # redaction.SECRET_IN_PATH, as it was
DELIVER = "exitentry.messaging.tasks.deliver"  # the task that sent them then


def hide_sent_links(apps, schema_editor) -> None:
    Message = apps.get_model("messaging", "Message")
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    waiting = DBTaskResult.objects.filter(task_path=DELIVER, status__in=("READY", "RUNNING"))
    to_send = {task.args_kwargs["args"][0] for task in waiting.only("args_kwargs").iterator()}
    invitations = Message.objects.filter(event_key__startswith="unit-invitation:").exclude(pk__in=to_send)
    for message in invitations.only("pk", "body").iterator():
        Message.objects.filter(pk=message.pk).update(
            body=SECRET_IN_PATH.sub(r"\1[token hidden]", message.body)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0002_translated_model_names"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(hide_sent_links, migrations.RunPython.noop)]
