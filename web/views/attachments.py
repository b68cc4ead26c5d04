"""Downloading an attachment: only for people who may see its program; always as a download
(``Content-Disposition: attachment`` with a safe name), never sniffed or rendered by the browser."""
from __future__ import annotations

import io

from flask import Blueprint, send_file
from flask_login import login_required

from engine.services.mentorship import attachments as files
from web.access import require_actor
from web.db import get_db

bp = Blueprint("attachments", __name__, url_prefix="/attachments")


@bp.route("/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    db = get_db()
    row = files.for_download(db, require_actor(), attachment_id)
    content, name, content_type = row.content, files.safe_file_name(row.file_name), row.content_type
    db.commit()  # the access log (152-ФЗ)
    response = send_file(io.BytesIO(content), mimetype=content_type, as_attachment=True, download_name=name,
                         max_age=0, conditional=False, etag=row.sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
