"""``nastavnik worker`` whose timer jobs dwell after their effect (fault injection for the SIGKILL test, here in the
tests, not in the product): the handler fires the instance's timers, flushes (the rows are written and locked, not
committed), notes ``<pid> <job id>`` in $NASTAVNIK_TEST_MARK and sleeps $NASTAVNIK_TEST_DWELL seconds — a worker
killed then is killed mid-job, deterministically.

    python -m tests.worker.slow_worker worker --concurrency 1
"""
from __future__ import annotations

import os
import sys
import time
from datetime import datetime

from sqlalchemy.orm import Session

from engine.db.models import Job
from engine.services.process import timer_jobs


def dwelling_fire_timers(session: Session, job: Job, now: datetime) -> None:
    timer_jobs.fire_timers(session, job, now)
    session.flush()
    with open(os.environ["NASTAVNIK_TEST_MARK"], "a", encoding="utf-8") as mark:
        mark.write(f"{os.getpid()} {job.id}\n")
    time.sleep(float(os.environ.get("NASTAVNIK_TEST_DWELL", "3")))


if __name__ == "__main__":
    timer_jobs.JOBS[timer_jobs.FIRE_TIMERS] = dwelling_fire_timers  # read by bootstrap() in each pool process
    from cli import main

    sys.exit(main(sys.argv[1:]))
