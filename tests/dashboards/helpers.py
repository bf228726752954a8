import re

from dashboards.figures import collect


def figures(user, year=2025):
    return {f.key: f for f in collect(year, user)}


def value(user, key, year=2025):
    fig = figures(user, year).get(key)
    return None if fig is None else fig.value


def listed_count(client, fig) -> str:
    """The number the drill-down page shows for a figure (what a leader sees after clicking)."""
    response = client.get(fig.list_url)
    assert response.status_code == 200
    match = re.search(rf'data-figure-value="{fig.key}">([^<]*)<', response.content.decode())
    assert match, "the list page shows the figure"
    return match.group(1)


def listed_rows(client, fig) -> int:
    response = client.get(fig.list_url)
    return response.content.decode().count("<tr data-record>")
