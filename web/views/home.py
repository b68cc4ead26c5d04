"""The start page: straight to the first section the user's roles open."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import login_required

from web.access import require_actor
from web.filters import role_label
from web.nav import sections_for

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index():
    actor = require_actor()
    sections = sections_for(actor)
    if sections:
        return redirect(url_for(sections[0].endpoint))
    roles = sorted({role_label(role, organization) for organization, role in actor.roles})
    return render_template("home.html", roles=roles)
