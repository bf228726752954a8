"""Roles of the people who use the tracker (domain §1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("委室工作人员")
    ASSIGNING_CLERK = "assigning_clerk", _("交办机构工作人员")
    DIRECTOR = "director", _("主任")
    VICE_DIRECTOR = "vice_director", _("副主任")
    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    DEPUTY = "deputy", _("人大代表")
    UNIT_CLERK = "unit_clerk", _("承办单位经办人")
    UNIT_HEAD = "unit_head", _("承办单位负责人")
    ADMIN = "admin", _("系统管理员")


LEADER_ROLES = {Role.DIRECTOR, Role.VICE_DIRECTOR, Role.SECRETARY_GENERAL}
UNIT_ROLES = {Role.UNIT_CLERK, Role.UNIT_HEAD}
# Roles working inside the standing committee's own offices: they read internal records.
INTERNAL_ROLES = {Role.STAFF, Role.ASSIGNING_CLERK, Role.ADMIN} | LEADER_ROLES
