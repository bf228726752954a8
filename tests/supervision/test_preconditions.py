"""Each step of the opinion loop shows what keeps it from succeeding before the click,
and the issuing page shows the opinions being issued."""

import pytest

from supervision import choices as c
from supervision import services
from supervision.models import DeliberationOpinion

pytestmark = pytest.mark.django_db


def test_issuing_unapproved_opinions_is_announced_on_the_page(make_item, staff_user, client_as, frozen):
    item = make_item()
    o = DeliberationOpinion.objects.create(item=item, status=c.OpinionStatus.COMPILING, text="建议加大教育投入。")
    [(_f, message)] = services.opinion_unmet(o, "issue")
    html = client_as(staff_user).get(f"/supervision/{item.pk}/act/opinion-issue/?obj={o.pk}").content.decode()
    assert message in html[html.index("data-unmet"):]
    assert "建议加大教育投入。" in html[html.index("data-subject"):]
    with pytest.raises(Exception) as exc:
        services.opinion_issue(actor=staff_user, opinion=o, version=o.version)
    assert message in str(exc.value)


def test_approved_opinions_can_be_issued_with_nothing_missing(make_item, staff_user, client_as, frozen):
    item = make_item()
    o = DeliberationOpinion.objects.create(item=item, status=c.OpinionStatus.APPROVED, text="建议加大教育投入。")
    assert services.opinion_unmet(o, "issue") == []
    html = client_as(staff_user).get(f"/supervision/{item.pk}/act/opinion-issue/?obj={o.pk}").content.decode()
    assert "data-unmet" not in html
