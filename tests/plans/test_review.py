"""Gaps found in the acceptance review of issue 4: progress attachments that can be
opened (within scope), the item page's links to supervision items, and the overdue
filter's wording."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.models import Attachment
from plans import services
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(item, staff_user):
    upload = SimpleUploadedFile("调研报告.txt", "调研内容".encode(), content_type="text/plain")
    services.item_post_progress(actor=staff_user, item=item, percent=20, text="调研", version=item.version,
                                files=[upload])
    return Attachment.objects.get()


def test_progress_attachment_is_linked_and_downloadable(client_as, staff_user, other_staff_user, director, item,
                                                         attachment):
    # Given a progress entry with a file, when the item page is opened, then the file is a link.
    url = reverse("plans:attachment", args=[attachment.pk])
    html = client_as(staff_user).get(reverse("plans:item-detail", args=[item.pk])).content.decode()
    assert f'href="{url}"' in html
    # Any internal reader (another office, a leader) downloads it.
    for user in (staff_user, other_staff_user, director):
        resp = client_as(user).get(url)
        assert resp.status_code == 200
        assert b"".join(resp.streaming_content) == "调研内容".encode()


def test_progress_attachment_follows_the_plan_scope(client_as, deputy_user, unit_clerk, item, attachment):
    # An internal plan's files are out of scope for deputies and handling units: 404.
    url = reverse("plans:attachment", args=[attachment.pk])
    for user in (deputy_user, unit_clerk):
        assert client_as(user).get(url).status_code == 404
    # Once the plan is published, they read it and its files.
    item.plan.is_published = True
    item.plan.save()
    assert client_as(deputy_user).get(url).status_code == 200


def test_attachments_of_other_records_are_not_served_here(client_as, staff_user, item):
    # A file attached to some other record is not reachable through the plans URL.
    meeting = f.MeetingFactory()
    from django.contrib.contenttypes.models import ContentType

    other = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(meeting), object_id=meeting.pk,
        file=SimpleUploadedFile("x.txt", b"x"), name="x.txt",
    )
    assert client_as(staff_user).get(reverse("plans:attachment", args=[other.pk])).status_code == 404
    assert client_as(staff_user).get(reverse("plans:attachment", args=[99999])).status_code == 404


def test_api_progress_lists_attachment_links(api_client, staff_user, item, attachment):
    resp = api_client(staff_user).get(reverse("plans-api:item-progress", args=[item.pk]))
    assert resp.status_code == 200
    entry = resp.json()[0]
    assert entry["attachments"] == ["调研报告.txt"]
    assert entry["attachment_files"] == [
        {"name": "调研报告.txt", "url": reverse("plans:attachment", args=[attachment.pk])}
    ]


def test_item_page_shows_the_supervision_items_it_spawned(client_as, staff_user, deputy_user, item, office):
    # Given a supervision item created from this plan item (supervision app's FK),
    from supervision.models import SupervisionItem

    sup = SupervisionItem.objects.create(kind="report", year=2026, title="听取审议财政预算执行情况报告",
                                         lead_office=office, plan_item=item)
    # when staff open the item page, then the supervision item is listed with its link.
    html = client_as(staff_user).get(reverse("plans:item-detail", args=[item.pk])).content.decode()
    assert "听取审议财政预算执行情况报告" in html
    assert sup.get_absolute_url() in html
    # A deputy reading the published plan does not see an unpublished supervision item.
    item.plan.is_published = True
    item.plan.save()
    html = client_as(deputy_user).get(reverse("plans:item-detail", args=[item.pk])).content.decode()
    assert "听取审议财政预算执行情况报告" not in html


def test_overdue_filter_reads_all_yes_no(client_as, staff_user, item):
    # The overdue choice offers 全部/是/否 (not "未知"), and the same values work in the API.
    html = client_as(staff_user).get(reverse("plans:item-list")).content.decode()
    assert "未知" not in html
    assert ">全部<" in html and ">是<" in html and ">否<" in html


def test_inline_progress_also_refreshes_the_listed_parent_rows(client_as, staff_user, plan, office):
    # Given a section > subsection > two leaves, all shown in the list,
    from .conftest import add_item

    section = add_item(plan, "强化监督")
    sub = add_item(plan, "财政监督", parent=section)
    leaf = add_item(plan, "听取财政报告", parent=sub, office=office)
    add_item(plan, "审查预算", parent=sub, office=office)
    # when staff report 60% on a leaf from the list, listing the subsection's row only,
    resp = client_as(staff_user).post(
        reverse("plans:item-progress", args=[leaf.pk]),
        {"inline": "1", "percent": "60", "text": "已听取", "version": leaf.version, "listed": [str(sub.pk), str(leaf.pk)]},
        HTTP_HX_REQUEST="true",
    )
    html = resp.content.decode()
    # then the leaf's row comes first, and the listed parent row is swapped out of band with
    # its rolled-up percent; the unlisted section gets no row (htmx would find no target).
    assert html.strip().startswith(f'<tr id="item-row-{leaf.pk}"')
    assert f'<tr id="item-row-{sub.pk}" data-item="{sub.pk}" hx-swap-oob="true">' in html
    sub_row = html.split(f'id="item-row-{sub.pk}"')[1]
    assert "30%" in sub_row  # (60 + 0) / 2
    assert f'id="item-row-{section.pk}"' not in html


def test_every_list_row_names_itself_for_the_inline_form(client_as, staff_user, item):
    html = client_as(staff_user).get(reverse("plans:item-list")).content.decode()
    assert f'<input type="hidden" name="listed" value="{item.pk}" data-listed>' in html
    assert 'hx-include="[data-listed]"' in html


def test_api_progress_with_files_multipart(api_client, staff_user, other_staff_user, item):
    # Given the lead office's staff, when they post progress with two files as multipart,
    url = reverse("plans-api:item-progress", args=[item.pk])
    resp = api_client(staff_user).post(
        url,
        {"percent": 40, "text": "已形成调研报告", "version": item.version,
         "files": [SimpleUploadedFile("报告.txt", b"a"), SimpleUploadedFile("照片.txt", b"b")]},
        format="multipart",
    )
    # then the entry carries both files with their download links.
    assert resp.status_code == 201, resp.content
    assert sorted(a["name"] for a in resp.json()["attachment_files"]) == ["报告.txt", "照片.txt"]
    # Another office's staff are refused (403) and nothing is added.
    item.refresh_from_db()
    resp = api_client(other_staff_user).post(
        url, {"percent": 50, "text": "x", "version": item.version, "files": [SimpleUploadedFile("x.txt", b"x")]},
        format="multipart",
    )
    assert resp.status_code == 403
    assert Attachment.objects.count() == 2


def test_item_page_progress_with_a_file(client_as, staff_user, item):
    # The item page's form takes attachments; the file shows as a link on the page.
    resp = client_as(staff_user).post(
        reverse("plans:item-progress", args=[item.pk]),
        {"percent": "30", "text": "已完成调研", "version": item.version, "files": SimpleUploadedFile("纪要.txt", b"m")},
    )
    assert resp.status_code == 302
    att = Attachment.objects.get()
    html = client_as(staff_user).get(reverse("plans:item-detail", args=[item.pk])).content.decode()
    assert f'<a href="{reverse("plans:attachment", args=[att.pk])}">纪要.txt</a>' in html
