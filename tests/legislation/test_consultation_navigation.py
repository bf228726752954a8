"""Where public comment shows up: the main menu of the committee's own people, and a small
link to the public drafts on the sign-in page; neither where the module is off."""

import pytest
from django.test import override_settings

from congress.navigation import nav_items

pytestmark = pytest.mark.django_db

URL = "/legislation/comments/"


def _urls(user) -> list[str]:
    urls = []
    for entry in nav_items(user):
        urls.append(entry["url"])
        urls.extend(child["url"] for child in entry["children"])
    return urls


@pytest.mark.parametrize("who", ["staff_user", "director", "admin_user"])
def test_the_committee_gets_the_entry(request, who):
    user = request.getfixturevalue(who)
    with override_settings(LEGISLATION_ENABLED=True):
        assert URL in _urls(user)
    with override_settings(LEGISLATION_ENABLED=False):
        assert URL not in _urls(user)


@pytest.mark.parametrize("who", ["deputy_user", "unit_clerk"])
def test_deputies_and_units_do_not(request, who):
    with override_settings(LEGISLATION_ENABLED=True):
        assert URL not in _urls(request.getfixturevalue(who))


def test_the_menu_on_a_page_shows_it_with_its_label(client_as, staff_user):
    client = client_as(staff_user)
    with override_settings(LEGISLATION_ENABLED=True):
        html = client.get("/").content.decode()
        assert f'href="{URL}"' in html and "公开征求意见" in html
    with override_settings(LEGISLATION_ENABLED=False):
        assert f'href="{URL}"' not in client.get("/").content.decode()


def test_the_sign_in_page_links_to_the_public_drafts(client):
    with override_settings(LEGISLATION_ENABLED=True):
        html = client.get("/accounts/login/").content.decode()
        assert 'href="/public/drafts/"' in html and "data-public-drafts" in html
        assert client.get("/public/drafts/").status_code == 200
    with override_settings(LEGISLATION_ENABLED=False):
        assert "/public/drafts/" not in client.get("/accounts/login/").content.decode()
