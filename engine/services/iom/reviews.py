"""The yearly review of every ИОМ (issue 18 item 2: «reviewed yearly»), opened by the worker.

    SWEEPS: sweep_iom_reviews(session, now)   each tick: the job of the (UTC) day, once (key ``iom_reviews:<day>``)
    JOBS:   open_due_reviews(session, now)     every unfinished route whose anniversary (the end of its year N) has come
                                               on its organization's day gets the review of year N, once (unique
                                               route and year); a worker down for days opens them on its first day back

The review is the tutor's task (the curator's where the route has no tutor): the route's page and the ИОМ list show
it open until it is closed (``routes.close_review``)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from engine.db.models import IOM_DONE, IomReview, IomRoute, Job, record_audit
from engine.documents.basics import zone_of
from engine.domain_time import local_day
from engine.services.iom.routes import review_due_on
from engine.services.jobs.queue import enqueue
from engine.workflow.clock import to_utc

IOM_REVIEWS = "iom_reviews"


def sweep_iom_reviews(session: Session, now: datetime) -> None:
    day = to_utc(now).date()
    enqueue(session, IOM_REVIEWS, f"{IOM_REVIEWS}:{day.isoformat()}", {"day": day.isoformat()}, run_after=now)


def open_due_reviews(session: Session, now: datetime) -> list[IomReview]:
    """Open the yearly reviews that are due and not opened yet; returns those opened now."""
    utc_day = to_utc(now).date()
    routes = session.scalars(select(IomRoute).options(selectinload(IomRoute.reviews))
                             .where(IomRoute.step < IOM_DONE, IomRoute.starts_on <= utc_day - timedelta(days=364))
                             .order_by(IomRoute.id))
    opened: list[IomReview] = []
    for route in routes:
        today = local_day(now, zone_of(route.organization))
        have = {review.year for review in route.reviews}
        for year in range(1, route.years + 1):
            due = review_due_on(route, year)
            if due > today:
                break
            if year in have:
                continue
            review = IomReview(route_id=route.id, year=year, due_on=due, opened_on=today)
            session.add(review)
            opened.append(review)
            session.flush()
            record_audit(session, "iom.review_opened", obj=route, organization=route.organization_id,
                         details={"year": year, "due_on": due.isoformat()})
    return opened


def _job(session: Session, job: Job, now: datetime) -> None:
    open_due_reviews(session, now)


JOBS = {IOM_REVIEWS: _job}
SWEEPS = (sweep_iom_reviews,)
