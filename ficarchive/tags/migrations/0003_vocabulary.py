from django.db import migrations


def create_vocabulary(apps, schema_editor):
    from ficarchive.tags.models import tag_key
    from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating

    Tag = apps.get_model("tags", "Tag")
    for kind, names in (("rating", Rating.values), ("warning", ArchiveWarning.values), ("category", Category.values)):
        for name in names:
            Tag.objects.get_or_create(name_key=tag_key(name), defaults={"name": name, "kind": kind, "canonical": True})


class Migration(migrations.Migration):
    dependencies = [("tags", "0002_initial")]
    operations = [migrations.RunPython(create_vocabulary, migrations.RunPython.noop)]
