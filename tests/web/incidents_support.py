"""An incident made the way the worker makes one: a job whose handler fails its last try (runner.run_job)."""
from __future__ import annotations

from engine.errors import NastavnikError
from engine.services.jobs.queue import enqueue
from engine.services.jobs.runner import Outcome, run_job
from engine.services.jobs.table import table_of

KIND = "test_failing"


def _fail(session, job, now):
    raise NastavnikError("почтовый сервер отклонил письмо: 554 отказ", where="smtp")


def make_incident(session, organization_id: int | None, key: str, *, instance_id: int | None = None,
                  element_id: str | None = None) -> int:
    """A job of ``organization_id`` failed its one try: an incident (committed); the id of its job."""
    table = table_of(session)
    if KIND not in table.kinds():
        table.handle(KIND, _fail)
    job_id = enqueue(session, KIND, key, organization_id=organization_id, instance_id=instance_id,
                     element_id=element_id, max_attempts=1)
    session.commit()
    assert run_job(session, table, job_id) is Outcome.INCIDENT
    return job_id
