import uuid

from django.db import migrations, models


def fill_message_ids(apps, schema_editor):
    OutboxMessage = apps.get_model("congress", "OutboxMessage")
    for pk in OutboxMessage.objects.filter(message_id__isnull=True).values_list("pk", flat=True).iterator():
        OutboxMessage.objects.filter(pk=pk).update(message_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0002_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="message_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="消息编号"),
        ),
        migrations.RunPython(fill_message_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="outboxmessage",
            name="message_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="消息编号"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="held_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="暂停时间"),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "待发送"),
                    ("sending", "发送中"),
                    ("sent", "已发送"),
                    ("failed", "发送失败"),
                    ("held", "暂停待定"),
                    ("discarded", "已丢弃"),
                ],
                default="pending",
                max_length=16,
                verbose_name="状态",
            ),
        ),
        migrations.CreateModel(
            name="OpsState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=32, unique=True)),
                ("at", models.DateTimeField(verbose_name="时间")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="说明")),
            ],
            options={"verbose_name": "运行状态", "verbose_name_plural": "运行状态"},
        ),
    ]
