"""The Celery beat scheduler with a heartbeat: beat records that it is alive in the
database (congress.OpsState "beat"), at most every HEARTBEAT_EVERY seconds.

No Django import at module level: beat loads this class before Django is set up."""

import logging
import os
import time

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)
HEARTBEAT_EVERY = 30.0


class HeartbeatScheduler(PersistentScheduler):
    _last_beat = 0.0

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_beat >= HEARTBEAT_EVERY:
            self._last_beat = now
            try:
                import django

                django.setup()
                from congress.ops import record_heartbeat

                record_heartbeat("beat", note=f"pid {os.getpid()}")
            except Exception as exc:  # the database being down must not stop the schedule
                logger.warning("beat heartbeat not recorded: %s", exc)
        # Never sleep longer than the heartbeat interval.
        return min(super().tick(*args, **kwargs), HEARTBEAT_EVERY)
