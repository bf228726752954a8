"""Login, session, password, two-factor and audit rules (GB/T 22239 level 3)."""
