"""Each deputy gets a secret QR code token (代表码): added empty, filled one by one for the
deputies already recorded (a column default would give them all the same value), then unique."""

from django.db import migrations, models

import congress.models.reference


def fill_tokens(apps, schema_editor):
    Deputy = apps.get_model("congress", "Deputy")
    for deputy in Deputy.objects.filter(qr_token__isnull=True).only("pk").iterator():
        Deputy.objects.filter(pk=deputy.pk).update(qr_token=congress.models.reference.new_qr_token())


class Migration(migrations.Migration):

    dependencies = [
        ("congress", "0004_upload_validators"),
    ]

    operations = [
        migrations.AddField(
            model_name="deputy",
            name="qr_token",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="代表码令牌"),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="deputy",
            name="qr_token",
            field=models.CharField(
                default=congress.models.reference.new_qr_token, editable=False, max_length=64, unique=True,
                verbose_name="代表码令牌",
            ),
        ),
    ]
