"""The curator's inbox: open workflow steps waiting for the curator role in their organizations,
filtered by school, model, stage, overdue and free text; each row links to the step's page. Above them the other
work waiting for the curator: consents, plan corrections to approve, practices and cases to review."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, render_template, request

from engine.forms import FormId
from engine.services.curation.inbox import InboxFilters, awaiting_consents, curator_inbox
from engine.services.mentorship import plan_decisions
from engine.services.people.actor import Role
from engine.services.recognition import practices
from web.access import require_actor, require_role
from web.converters import id_arg, page_arg
from web.db import get_db
from web.task_forms import CURATOR_FORMS

bp = Blueprint("inbox", __name__, url_prefix="/inbox")

FILTER_ARGS = ("school", "model", "stage", "overdue", "q")


@bp.app_template_global("curator_has_endpoint")
def has_endpoint(endpoint: str) -> bool:
    """Links to other areas' pages only once they are registered."""
    return endpoint in current_app.view_functions


def filters_from_request() -> InboxFilters:
    args = request.args
    return InboxFilters(school_id=id_arg("school"), roadmap_id=args.get("model") or None,
                        stage_id=args.get("stage") or None, overdue=args.get("overdue") in ("1", "on", "true"),
                        query=(args.get("q") or "").strip()[:200])


@bp.route("")
@require_role(Role.CURATOR)
def index():
    filters = filters_from_request()
    actor = require_actor()
    inbox = curator_inbox(get_db(), actor, filters, page=page_arg(),
                          size=current_app.config["INBOX_PAGE_SIZE"])
    kept = {key: request.args[key] for key in FILTER_ARGS if request.args.get(key)}
    return render_template("inbox/index.html", inbox=inbox, filters=filters, kept=kept,
                           consents=awaiting_consents(get_db(), actor),
                           plan_corrections=plan_decisions.awaiting_curator(get_db(), actor),
                           practices=practices.awaiting_review(get_db(), actor), practice_kind=practices.kind_label,
                           task_forms=CURATOR_FORMS, now=datetime.now(UTC),
                           calendar_forms=(FormId.MONITORING_REPORT, FormId.BASE_REVIEW))
