"""The curator's inbox: open workflow steps waiting for the curator role in their organizations.

A placeholder for now: the list only (filters, approve/return come with the curator area).
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from engine.db.models import OpenTask, WorkflowInstance
from web.access import current_actor, require_role
from web.db import get_db

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.route("")
@require_role("curator")
def index():
    actor = current_actor()
    organizations = sorted(actor.organizations("curator"))
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    size = current_app.config["INBOX_PAGE_SIZE"]
    where = (OpenTask.role == "curator", OpenTask.organization_id.in_(organizations))
    db = get_db()
    total = db.scalar(select(func.count()).select_from(OpenTask).where(*where)) or 0
    tasks = db.scalars(
        select(OpenTask).where(*where)
        .options(joinedload(OpenTask.instance).joinedload(WorkflowInstance.definition),
                 joinedload(OpenTask.organization))
        .order_by(OpenTask.due_at.is_(None), OpenTask.due_at, OpenTask.created_at, OpenTask.id)
        .limit(size).offset((page - 1) * size)
    ).all()
    pages = max((total + size - 1) // size, 1)
    return render_template("inbox/index.html", tasks=tasks, total=total, page=page, pages=pages,
                           now=datetime.now(timezone.utc))
