"""Demo of public comment: the open draft belongs to the regulation of the same name in
this year's demo plan, found by name or added once; seeding twice changes nothing."""

import pytest
from django.core.management import call_command

from legislation.demo_consultation import OPEN_TITLE, matching_project, regulation_name
from legislation.models import Consultation, RegulationProject

pytestmark = pytest.mark.django_db


def test_a_regulation_name_drops_the_marks_around_it():
    assert regulation_name("《江州市物业管理条例》（修订）") == "江州市物业管理条例"
    assert regulation_name("江州市物业管理条例（草案）") == "江州市物业管理条例"
    assert regulation_name("江州市物业管理条例(修订草案)") == "江州市物业管理条例"


def test_the_open_draft_is_linked_to_its_project_once():
    call_command("seed_demo", quiet=True)
    draft = Consultation.objects.get(title=OPEN_TITLE)
    assert draft.project is not None
    assert regulation_name(draft.project.title) == regulation_name(OPEN_TITLE)
    assert matching_project(OPEN_TITLE, draft.project.plan.year) == draft.project
    projects = RegulationProject.objects.count()
    call_command("seed_demo", quiet=True)
    assert RegulationProject.objects.count() == projects
    assert Consultation.objects.get(title=OPEN_TITLE).project_id == draft.project_id


def test_with_the_module_off_the_draft_stands_alone(settings):
    settings.LEGISLATION_ENABLED = False
    call_command("seed_demo", quiet=True)
    assert Consultation.objects.get(title=OPEN_TITLE).project is None
