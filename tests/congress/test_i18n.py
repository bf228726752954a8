"""Simplified Chinese by default, with an English switch."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from congress.models import Meeting
from congress.roles import Role

BASE = Path(__file__).resolve().parents[2]
PO = BASE / "locale" / "en" / "LC_MESSAGES" / "django.po"
CORE = ("congress/", "templates/base.html", "templates/congress/", "templates/registration/", "templates/403.html",
        "templates/404.html", "templates/500.html")


@pytest.mark.django_db
def test_english_switch_changes_the_navigation(client, staff_user):
    client.force_login(staff_user)
    chinese = client.get("/").content.decode()
    assert 'lang="zh-hans"' in chinese and "首页" in chinese and "委室工作台" in chinese
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert resp.status_code == 302
    english = client.get("/").content.decode()
    assert 'lang="en"' in english
    nav = english.split('id="mainnav"', 1)[1]
    for label in ("Home", "Meetings", "API docs"):
        assert f">{label}</a>" in nav, label
    assert 'id="unread-link">Messages' in nav
    assert "首页" not in nav
    assert "Office workbench" in english and "Committee staff" in english and "Log out" in english
    # and back
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "首页" in client.get("/").content.decode()


@pytest.mark.django_db
def test_login_page_switches_to_english(client):
    client.post("/i18n/setlang/", {"language": "en"})
    html = client.get("/accounts/login/").content.decode()
    assert "Username" in html and "Password" in html and "Log in" in html


def test_model_and_choice_labels_are_translated():
    with translation.override("en"):
        assert str(Meeting._meta.verbose_name) == "Meetings"
        assert str(Meeting.Kind.STANDING.label) == "Standing committee session"
        assert str(Role.DEPUTY.label) == "Deputy"
        assert str(Meeting._meta.get_field("start_date").verbose_name) == "Start date"
    with translation.override("zh-hans"):
        assert str(Meeting.Kind.STANDING.label) == "常委会会议"


def _entries():
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        refs = " ".join(line[2:] for line in block.splitlines() if line.startswith("#:"))
        if not refs or block.lstrip().startswith("#~"):
            continue
        head, _, tail = block.partition("\nmsgstr")
        msgid = "".join(re.findall(r'"(.*)"', head.split("msgid ", 1)[1].split("\nmsgid_plural", 1)[0]))
        msgstr = "".join(re.findall(r'"(.*)"', tail.split("\nmsgstr[1]", 1)[0]))
        yield refs.split(), msgid, msgstr, "#, fuzzy" in block


def test_every_core_text_has_an_english_translation():
    assert PO.exists() and PO.with_suffix(".mo").exists()
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 1, "run compilemessages"
    missing = [msgid for refs, msgid, msgstr, fuzzy in _entries()
               if any(r.startswith(CORE) for r in refs) and (not msgstr or fuzzy)]
    assert not missing, f"untranslated core texts: {missing[:20]}"
