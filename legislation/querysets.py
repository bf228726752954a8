"""Who may see which legislative plans and projects: everyone working inside the
committee (staff, leaders, administrators) reads everything; deputies and handling
units read adopted plans and their projects, read-only; signed-out visitors nothing."""

from congress.scoping import ScopedQuerySet

from .choices import PlanStatus


def _reads_all(user) -> bool:
    return user.is_authenticated and user.is_internal


class LegislativePlanQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if _reads_all(user):
            return self
        return self.filter(status=PlanStatus.ADOPTED)


class RegulationProjectQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if _reads_all(user):
            return self
        return self.filter(plan__status=PlanStatus.ADOPTED)

    def for_list(self):
        return self.select_related("plan", "lead_office", "drafting_unit", "vice_chair")


class ProjectStepQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if _reads_all(user):
            return self
        return self.filter(project__plan__status=PlanStatus.ADOPTED)
