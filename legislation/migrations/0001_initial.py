# The module's first migration: each part (plans and projects, public comment) builds on it.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = []
