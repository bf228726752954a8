"""Who may change supervision records.

Staff of the lead office edit their items; staff of other offices and leaders read
them; a handling body (unit users) answers what concerns it: the handling report on
deliberation opinions, audit rectification evidence, livelihood progress, answers to
an interpellation or a filing-review opinion. Deputies read published items."""

from congress.roles import Role


def can_create(user) -> bool:
    return bool(user.is_authenticated and (user.is_app_admin or (user.role == Role.STAFF and user.office_id)))


def can_edit(user, item) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_app_admin:
        return True
    return user.role == Role.STAFF and user.office_id is not None and user.office_id == item.lead_office_id


def body_unit_ids(item) -> set[int]:
    """The target body and its departments named on the item."""
    ids = {d.pk for d in item.departments.all()}
    if item.target_unit_id:
        ids.add(item.target_unit_id)
    return ids


def is_body_user(user, item) -> bool:
    """A user of the reporting body: it answers the deliberation opinions."""
    return bool(user.is_authenticated and user.is_unit_user and user.unit_id and user.unit_id in body_unit_ids(item))


def is_unit_user_of(user, unit_id) -> bool:
    return bool(user.is_authenticated and user.is_unit_user and user.unit_id and unit_id and user.unit_id == unit_id)


def can_read_letter(user, project) -> bool:
    """The progress-reminder letter is internal correspondence: committee staff and
    leaders, the item's bodies and the project's department read it; deputies do not."""
    if not user.is_authenticated:
        return False
    return bool(user.is_internal or is_body_user(user, project.item) or is_unit_user_of(user, project.department_id))
