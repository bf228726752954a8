"""Who may do what with public comment on drafts.

Staff of the owning office (法工委 or the lead committee) and administrators write;
everyone else inside the committee (other offices, leaders) reads; deputies and handling
units have no part in it. Citizens only comment, through the public pages."""

from congress.roles import Role


def can_read(user) -> bool:
    return bool(user.is_authenticated and user.is_internal)


def can_create(user) -> bool:
    return bool(user.is_authenticated and (user.is_app_admin or (user.role == Role.STAFF and user.office_id)))


def can_write(user, consultation) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_app_admin:
        return True
    return user.role == Role.STAFF and user.office_id is not None and user.office_id == consultation.office_id
