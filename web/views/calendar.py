"""«Календарь сроков»: each person subscribes their calendar (Outlook, Яндекс Календарь, Google Calendar) to the
secret address of their deadlines (``engine.services.notifications.calendar_feed``).

``/calendar`` — the page: what the calendar will show, the address (shown once, when issued: only its hash is
kept), «Выдать новый адрес» (the old one stops working), «Отключить». ``/calendar/<token>.ics`` — the feed
itself, public (calendar clients do not log in: the token is the credential): ``text/calendar``, no session
cookie, a Russian 404 in plain text for an unknown or revoked address, failures rate-limited per client address
(``web.ratelimit``), cacheable privately for as long as the feed asks clients to wait before fetching again."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm

from engine.errors import NotFound
from engine.services.notifications import calendar_feed as feeds
from web.access import require_actor
from web.db import get_db

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
MAX_AGE = int(feeds.REFRESH.total_seconds()) // 4  # a client that polls sooner gets the cached copy


class FeedForm(FlaskForm):
    """«Выдать адрес» / «Отключить»: a button and the CSRF token (checked for every POST by ``web.security``)."""


def _page(address: str | None = None, status: int = 200):
    db, actor = get_db(), require_actor()
    state = feeds.feed_state(db, actor)
    upcoming = feeds.deadlines(db, actor.person_id or 0)
    webcal = "webcal://" + address.split("://", 1)[1] if address else None
    return render_template("calendar/index.html", state=state, upcoming=upcoming[:20], more=len(upcoming) - 20,
                           address=address, webcal=webcal, form=FeedForm(formdata=None)), status


@bp.route("")
@login_required
def index():
    return _page()


@bp.route("/issue", methods=["POST"])
@login_required
def issue():
    db, actor = get_db(), require_actor()  # the CSRF token was checked before (web.security)
    path = feeds.issue_feed(db, actor)
    db.commit()
    # the address is in this answer only (never in a redirect, the session or a log): the page says so
    return _page(request.url_root.rstrip("/") + path)


@bp.route("/revoke", methods=["POST"])
@login_required
def revoke():
    db, actor = get_db(), require_actor()
    if feeds.revoke_feed(db, actor):
        db.commit()
        flash(_("Календарь отключён: по прежнему адресу сроки больше не выдаются."), "success")
    else:
        flash(_("Адрес календаря не был выдан — отключать нечего."), "info")
    return redirect(url_for("calendar.index"))


@bp.route("/<string(maxlength=200):token>.ics")
def feed(token: str):
    db = get_db()
    try:
        body = feeds.feed_for_token(db, token, base_url=request.url_root)
    except NotFound as gone:
        db.rollback()
        response = Response(f"{gone}\n", status=404, mimetype="text/plain")
    else:
        db.commit()  # the fetch is noted (the page shows when the calendar last read it)
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = 'inline; filename="nastavnik.ics"'
        response.headers["Cache-Control"] = f"private, max-age={MAX_AGE}"
        response.add_etag()
        response.make_conditional(request)
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
