"""The legislative plan importer: categories from headings, projects from the items
under them, the drafting body from brackets, the form from the title; and its page,
which previews before anything is saved."""

import pytest
from django.urls import reverse

from legislation import importer
from legislation.models import RegulationProject

from .conftest import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample():
    return (SAMPLES / "legislative-plan-2027.txt").read_text(encoding="utf-8")


def test_the_sample_plan_reads_into_projects_by_category(sample):
    parsed, _source = importer.parse(text=sample)
    rows = [(p["category"], p["title"], p["kind"], p["drafting_body"]) for p in parsed.projects]
    assert rows == [
        ("continued", "《江州市物业管理条例》", "amend", "市住房和城乡建设局"),
        ("continued", "《江州市养犬管理条例》", "enact", "市公安局"),
        ("first", "《江州市历史文化名城保护条例》", "enact", "市自然资源和规划局"),
        ("first", "《江州市河道管理条例》", "enact", "市水利局"),
        ("first", "关于废止《江州市城市市容和环境卫生管理条例》的决定", "repeal", "市城市管理局"),
        ("preparatory", "《江州市养老服务条例》", "enact", "市民政局"),
        ("preparatory", "江州市部分地方性法规打包修改", "package", "市司法局"),
        ("research", "江州市数据条例", "enact", ""),
        ("research", "江州市乡村振兴促进条例", "enact", ""),
    ]


def test_half_width_brackets_and_no_category_heading():
    parsed, _ = importer.parse(text="一、初次审议项目\n1.《某市条例》(市司法局负责起草)\n")
    assert parsed.projects[0]["drafting_body"] == "市司法局"
    parsed, _ = importer.parse(text="一、加强立法工作\n1.制定某条例\n")
    assert parsed.projects == [] and parsed.warnings


def test_import_page_previews_then_confirms(client_as, legal_staff, next_plan, sample):
    client = client_as(legal_staff)
    url = reverse("legislation:plan-import", args=[next_plan.pk])
    resp = client.post(url, {"text": sample})
    assert resp.status_code == 200
    assert "识别出9个项目" in resp.content.decode()
    assert not RegulationProject.objects.exists()  # nothing saved before confirming
    next_plan.refresh_from_db()
    resp = client.post(url, {"confirm": "1", "source": resp.context["source"], "version": next_plan.version})
    assert resp.status_code == 302
    assert RegulationProject.objects.filter(plan=next_plan).count() == 9
    # Confirming the same preview twice is refused by the version check.
    client.post(url, {"confirm": "1", "source": sample, "version": next_plan.version})
    assert RegulationProject.objects.filter(plan=next_plan).count() == 9


def test_import_page_upload_and_errors(client_as, legal_staff, staff_user, next_plan, sample):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(legal_staff)
    url = reverse("legislation:plan-import", args=[next_plan.pk])
    resp = client.post(url, {"file": SimpleUploadedFile("plan.txt", sample.encode("gb18030"))})
    assert resp.status_code == 200 and len(resp.context["preview"].projects) == 9
    resp = client.post(url, {"text": ""})
    assert resp.status_code == 200 and resp.context["form"].errors["text"]
    resp = client.post(url, {"text": "一、其他工作\n1.开展调研"})
    assert "未识别出立法项目" in resp.context["form"].errors["text"][0]
    assert client_as(staff_user).get(url).status_code == 403
