"""The curator's registries: mentors (with the term end), mentees (with the category and why), pairs and
groups, programs — each searchable and paginated; a person's card."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.services.curation import fact_discrepancies, registries, registry_exports, statistical_form
from engine.services.curation.inbox import roadmap_options, stage_options
from engine.services.curation.registries import Page
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.converters import date_arg, id_arg, page_arg
from web.db import get_db
from web.downloads import download

bp = Blueprint("registries", __name__, url_prefix="/registries")

PAGE_SIZE = 25

MENTEE_STATUS_LABELS = {"waiting": _l("ожидает пары"), "in_program": _l("в программе"),
                        "completed": _l("программа завершена"), "withdrawn": _l("выбыл(а)")}
GROUP_STATUS_LABELS = {"forming": _l("формируется"), "approved": _l("утверждена приказом"),
                       "closed": _l("закрыта"), "dissolved": _l("расформирована")}
PROGRAM_STATUS_LABELS = {
    "forming": _l("формируется"), "active": _l("выполняется"), "extended": _l("продлена (003 §7.2)"),
    "completed": _l("завершена (003 §7.1 (1))"), "completed_early": _l("завершена досрочно (003 §7.1 (2))"),
    "terminated": _l("прекращена (003 §7.1 (3))"),
}
TERM_LABELS = {"active": _l("срок действует"), "ending": _l("истекает"), "expired": _l("истёк"),
               "released": _l("освобождён(а)"), "pending": _l("ожидает приказа"), "cancelled": _l("отменено")}


def _args() -> tuple[str, int]:
    return (request.args.get("q") or "").strip()[:200], page_arg(from_end=True)


def _render(template: str, **context):
    query, _page = _args()
    return render_template(template, query=query, kept={"q": query} if query else {},
                           categories=registries.category_labels(), mentee_statuses=MENTEE_STATUS_LABELS,
                           group_statuses=GROUP_STATUS_LABELS, program_statuses=PROGRAM_STATUS_LABELS,
                           term_labels=TERM_LABELS,
                           roadmap_titles=dict(roadmap_options()), stage_titles=dict(stage_options()),
                           warning_days=registries.TERM_WARNING_DAYS, **context)


@bp.route("")
@require_role(Role.CURATOR)
def index():
    db, actor = get_db(), require_actor()
    return _render("registries/index.html", counts=registries.counts(db, actor), today=registries.curator_today(db, actor),
                   form_organizations=statistical_form.organizations(db, actor))


def _registry_page(template: str, search: Callable[..., Page], export: str, **context):
    """One page of a registry found by ``search(db, actor, query=, page=, size=)``; the access log is committed.
    ``export``: the registry's name for its XLSX (``registry_exports.REGISTRIES``)."""
    query, page = _args()
    db = get_db()
    result = search(db, require_actor(), query=query, page=page, size=PAGE_SIZE)
    db.commit()  # the access log
    return _render(template, result=result, export=export, **context)


@bp.route("/mentors")
@require_role(Role.CURATOR)
def mentors():
    return _registry_page("registries/mentors.html", registries.mentors, "mentors")


@bp.route("/mentees")
@require_role(Role.CURATOR)
def mentees():
    return _registry_page("registries/mentees.html", registries.mentees, "mentees")


@bp.route("/pairs")
@require_role(Role.CURATOR)
def groups():
    return _registry_page("registries/groups.html", registries.groups, "pairs",
                          consents_of=registries.participation_consents)


@bp.route("/programs")
@require_role(Role.CURATOR)
def programs():
    return _registry_page("registries/programs.html", registries.programs, "programs")


@bp.route("/<any(mentors, mentees, pairs, programs):registry>.xlsx")
@require_role(Role.CURATOR)
def export(registry: str):
    """Every row the registry's search ``q`` finds, as XLSX (issue 15); the people in it go to the access log."""
    query, _page = _args()
    db = get_db()
    made = registry_exports.export_registry(db, require_actor(), registry, query=query)
    db.commit()  # the access log
    return download(made.data, made.file_name, made.mimetype)


@bp.route("/statistical-form.xlsx")
@require_role(Role.CURATOR)
def statistical_form_file():
    """The statistical form of 003 §3.3 on a date (``on``; today by default), completions from ``since``."""
    made = statistical_form.statistical_form_file(
        get_db(), require_actor(), organization_id=id_arg("organization_id"), on=date_arg("on", _("На дату")),
        since=date_arg("since", _("Начало периода")))
    return download(made.data, made.file_name, made.mimetype)


@bp.route("/people/<int:person_id>")
@require_role(Role.CURATOR)
def person(person_id: int):
    db = get_db()
    card = registries.person_card(db, require_actor(), person_id)
    history = fact_discrepancies.decision_history(db, require_actor(), person_id)
    flags = fact_discrepancies.discrepancies(db, require_actor(), person_id)
    db.commit()
    return _render("registries/person.html", card=card, history=history, flags=flags)
