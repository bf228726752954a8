"""Legislative plans (立法规划, 立法计划) and regulation projects with their steps (domain §9)."""

__all__ = []
