"""Public comment on draft regulations (公开征求意见, domain §9)."""

__all__ = []
