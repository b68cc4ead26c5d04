"""Telling the people who may act that a background job became an incident (kind ``job_incident``).

    EVERY_INCIDENT: tell_incident(session, job)   registered in ``engine.bootstrap`` (``JobTable.on_every_incident``)

Runs in the transaction that records the incident (``engine.services.jobs.runner.record_failure``): the
administrators and curators of the job's organization (held there or above; ``jobs.incidents.watchers``) are told,
with a link to the list «Инциденты». Once per organization, kind of job and day (the notification's key): a hundred
timers failing together after one bad deploy are one notice per person, not a hundred, and an e-mail that fails
because the mail server is down cannot make a chain of e-mails about itself (its own failure falls under the same
key). The list shows every incident.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import Job
from engine.db.types import utcnow
from engine.services.jobs import incidents
from engine.services.notifications.kinds import JOB_INCIDENT
from engine.services.notifications.outbox import notify_many
from engine.vocabulary import counted

LINK = "/incidents"


def tell_incident(session: Session, job: Job) -> None:
    moment = job.finished_at or utcnow()
    what = incidents.kind_label(job.kind)
    where = incidents.place(incidents.describe(session, [job])[0])
    tries = counted(job.attempts, "попытки", "попыток", "попыток")
    body = (f"Задание «{what}» ({where}) не выполнено после {tries}.\nОшибка: {job.last_error or 'не записана'}\n"
            "Откройте список «Инциденты», чтобы повторить задание или пропустить его с указанием причины.")
    notify_many(session, incidents.watchers(session, job.organization_id), JOB_INCIDENT,
                f"Сбой фоновой работы «{what}»: {where}", body=body, link=LINK,
                organization_id=job.organization_id, instance_id=job.instance_id,
                key=f"job_incident:{job.organization_id or 0}:{job.kind}:{moment.date().isoformat()}")


JOBS: dict = {}
EVERY_INCIDENT = (tell_incident,)
