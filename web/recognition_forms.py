"""What the recognition pages read from a form (issue 18): a whole number, a date, a file — each refused with a
Russian message naming the field — and a stored file sent as a download (never rendered by the browser)."""
from __future__ import annotations

import io

from flask import request, send_file
from flask_babel import gettext as _

from engine.errors import NastavnikError
from engine.services.mentorship.attachments import safe_file_name
from engine.services.recognition.basics import Upload


def number(name: str, label: str, *, required: bool = True) -> int | None:
    """A whole number from the form, or a Russian error naming the field."""
    raw = (request.form.get(name) or "").strip()
    if not raw:
        if required:
            raise NastavnikError(_("заполните поле «%(f)s»", f=label), where=name)
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise NastavnikError(_("поле «%(f)s»: ожидается целое число", f=label), where=name)
    return int(raw)




def uploads(name: str) -> tuple[Upload, ...]:
    return tuple(Upload(f.filename, f.read()) for f in request.files.getlist(name) if f is not None and f.filename)


def upload(name: str) -> Upload | None:
    file = request.files.get(name)
    if file is None or not file.filename:
        return None
    return Upload(file.filename, file.read())


def download(content: bytes, name: str, content_type: str, sha256: str):
    response = send_file(io.BytesIO(content), mimetype=content_type, as_attachment=True,
                         download_name=safe_file_name(name), max_age=0, conditional=False, etag=sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
