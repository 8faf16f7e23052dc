"""A public notice of Art. 34(3) records the hall it sends its holder to, as it was on publication (its id,
name, address and hours in both languages): the notice page had read the hall from the catalog each time
it was shown, so a later change of the halls changed a notice already published.

Forward, each notice published before records the hall the page named when this was written: the
reception hall of the Exit-Entry Administration, its name, address and hours as the catalog gave them then
(frozen here, never read from the law core: a later change of the halls must not change what this writes),
audited as a system entry per notice (no officer decided it). Back, the column goes, and with it what was
recorded: the page would read the catalog again."""

from django.db import migrations, models

from exitentry.accounts.audit import record_each_migrating

# The hall the notice page named when this was written (``law.rules.public_notice.notice_hall`` and
# ``law.halls.hours`` then), as ``compliance.notices.recorded`` records it.
HALL = {
    "id": "reception-hall",
    "name": {
        "en": "Exit-Entry Administration Reception Hall of Beijing Municipal Public Security Bureau",
        "zh": "北京市公安局出入境管理总队接待大厅",
    },
    "address": {
        "en": "No. 2 Dong Avenue, Andingmen, Dongcheng District (southeast corner of Bei Xiao Jie Bridge, "
        "Second Ring Road)",
        "zh": "东城区安定门东大街2号（北二环北小街桥东南角）",
    },
    "hours": {
        "en": "Monday to Saturday 09:00-17:00; closed on statutory holidays (holiday hours are announced "
        "separately)",
        "zh": "周一至周六 09:00-17:00；法定节假日闭馆（节假日办公时间另行通知）",
    },
}
NOTE = (
    "Recorded when notices began to keep the hall they name: the hall the notice page named then.\n"
    "公告开始记录所载报告大厅时补记：即当时公告页面所示的大厅。"
)


def record_the_hall(apps, schema_editor) -> None:
    PublicNotice = apps.get_model("compliance", "PublicNotice")
    ids = list(PublicNotice.objects.filter(hall__isnull=True).order_by("pk").values_list("pk", flat=True))
    if not ids:
        return
    PublicNotice.objects.filter(pk__in=ids).update(hall=HALL)
    record_each_migrating(
        apps,
        "notice.hall_recorded",
        "public_notice",
        [(pk, None, {"hall": HALL["id"], "note": NOTE}) for pk in ids],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0020_labels_give_full_official_titles"),
        # the audit it writes to, as it was (the entries are sealed by the live helper: one chain, one seal)
        ("accounts", "0015_held_secrets"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicnotice",
            name="hall",
            field=models.JSONField(null=True),
        ),
        migrations.RunPython(record_the_hall, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="publicnotice",
            name="hall",
            field=models.JSONField(help_text="The hall where the holder reports, as the notice named it"),
        ),
    ]
