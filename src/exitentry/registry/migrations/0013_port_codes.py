"""A movement's port becomes the catalogue's code (``registry.ports``): each stored name the catalogue
knows, in either language or as people write it ("Beijing Capital Airport"), is replaced by its code; any
other name is kept as entered. Going back writes each code's English name."""

from django.db import migrations, models

from exitentry.registry import ports


def names_to_codes(apps, schema_editor):
    movements = apps.get_model("registry", "EntryExit").objects
    for stored in movements.values_list("port", flat=True).distinct():
        try:
            code = ports.code_for(stored)
        except ports.BadPort:  # blank: nothing to map, kept as it is
            continue
        if code != stored:
            movements.filter(port=stored).update(port=code)


def codes_to_names(apps, schema_editor):
    movements = apps.get_model("registry", "EntryExit").objects
    for code, port in ports.PORTS.items():
        movements.filter(port=code).update(port=port.name.en)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0012_translated_model_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="entryexit",
            name="port",
            field=models.CharField(
                help_text="The port's code in the list of ports, or its name as entered for a port the list lacks.",
                max_length=100,
                verbose_name="port",
            ),
        ),
        migrations.RunPython(names_to_codes, codes_to_names, elidable=True),
    ]
