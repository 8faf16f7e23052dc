"""A death's follow-up was cited by the whole of Exit and Entry Administration Law Art. 40; the ground cites
the paragraph that cancels the permit on the death certificate, Art. 40 para. 2, as the permit's status and
the roster do. Each alert on that ground stored as "Art. 40" (by 0016, or opened before) cites the paragraph,
nothing else changing, the audit saying so as a system entry (no officer decided it).

The ground and the two sections are frozen here, as they were when it was written; the audit is written
through this state's models and sealed as its chain is (``record_each_migrating``)."""

from django.db import migrations

from exitentry.accounts.audit import record_each_migrating

GROUND = "follow-up-holder-died"  # the death's follow-up (law/catalog/grounds.yaml)
SOURCE, WAS, NOW = "exit-entry-law", "Art. 40", "Art. 40 para. 2"
NOTE = (
    "Cited by the paragraph that cancels the permit on the death certificate: Exit and Entry Administration"
    " Law Art. 40 para. 2.\n"
    "引用凭死亡证明注销证件的条款：《中华人民共和国出境入境管理法》第四十条第二款。"
)


def cite_the_paragraph(apps, schema_editor) -> None:
    Alert = apps.get_model("compliance", "Alert")
    whole = Alert.objects.filter(ground_id=GROUND, source_id=SOURCE, section=WAS)
    ids = list(whole.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return
    Alert.objects.filter(pk__in=ids).update(section=NOW)
    record_each_migrating(
        apps, "alert.recite", "alert", [(pk, {"section": WAS}, {"section": NOW, "note": NOTE}) for pk in ids]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0018_labels_name_their_documents"),
        # the audit it writes to, as it was (the entries are sealed by the live helper: one chain, one seal)
        ("accounts", "0015_held_secrets"),
    ]

    operations = [migrations.RunPython(cite_the_paragraph, migrations.RunPython.noop)]
