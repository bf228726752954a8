"""Models of the legislation module: plans and regulation projects (projects.py) and
public comment on drafts (consultation.py)."""

from .consultation import *  # noqa: F401,F403
from .projects import *  # noqa: F401,F403
