"""The status form of a plan item says up front what each status needs (a reason for
delays and cancellations, the outcome for closing), from the check the service refuses with."""

import pytest

from plans import services
from plans.choices import ItemStatus

pytestmark = pytest.mark.django_db


def test_item_page_lists_what_each_status_needs_before_saving(item, staff_user, client_as):
    html = client_as(staff_user).get(item.get_absolute_url()).content.decode()
    box = html[html.index("data-status-requirements"):html.index("data-status-form")]
    for status in (ItemStatus.DELAYED, ItemStatus.CANCELLED, ItemStatus.DONE):
        for _field, message in services.status_unmet(item, status):
            assert message in box
    assert str(ItemStatus.IN_PROGRESS.label) not in box  # nothing to fill in to start


def test_service_refuses_with_the_message_the_page_showed(item, staff_user):
    [(field, message)] = services.status_unmet(item, ItemStatus.DELAYED)
    with pytest.raises(Exception) as exc:
        services.item_change_status(actor=staff_user, item=item, status=ItemStatus.DELAYED, version=item.version)
    assert field == "reason" and message in str(exc.value)
