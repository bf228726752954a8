import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("congress", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReminderEngineState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(default="default", max_length=32, unique=True)),
                ("last_success_date", models.DateField(blank=True, null=True, verbose_name="上次成功扫描日期")),
                ("last_success_at", models.DateTimeField(blank=True, null=True, verbose_name="上次成功扫描时间")),
                ("last_sent", models.PositiveIntegerField(default=0, verbose_name="上次发送条数")),
            ],
            options={"verbose_name": "提醒引擎状态", "verbose_name_plural": "提醒引擎状态"},
        ),
        migrations.CreateModel(
            name="ReminderDispatch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("rule", models.CharField(max_length=100, verbose_name="规则")),
                ("object_id", models.PositiveBigIntegerField()),
                ("step", models.CharField(help_text="步骤代码；重复提醒带日期后缀", max_length=80, verbose_name="步骤")),
                ("escalation", models.PositiveSmallIntegerField(default=0, verbose_name="升级层级")),
                ("due_date", models.DateField(verbose_name="期限")),
                ("planned_for", models.DateField(verbose_name="计划提醒日")),
                ("sent_on", models.DateField(db_index=True, verbose_name="发送日")),
                ("sent_at", models.DateTimeField(auto_now_add=True, verbose_name="发送时间")),
                ("status", models.CharField(choices=[("sent", "已发送"), ("summary", "已汇总发送"), ("superseded", "已由后续提醒取代")], default="sent", max_length=16, verbose_name="状态")),
                ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype")),
                ("notification", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="congress.notification", verbose_name="站内消息")),
                ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reminder_dispatches", to=settings.AUTH_USER_MODEL, verbose_name="接收人")),
            ],
            options={
                "verbose_name": "提醒发送记录",
                "verbose_name_plural": "提醒发送记录",
                "ordering": ["-sent_at", "-id"],
                "indexes": [models.Index(fields=["content_type", "object_id"], name="reminder_dispatch_target_idx")],
                "constraints": [models.UniqueConstraint(fields=("rule", "content_type", "object_id", "step", "recipient"), name="reminder_dispatch_once")],
            },
        ),
    ]
