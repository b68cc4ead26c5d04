"""The ``Content-Disposition`` of a file the browser saves. A header must be Latin-1 (PEP 3333: waitress refuses
anything else with a 500, the test client lets it pass), and our file names are Russian («сотрудники_1.xlsx»,
«prikaz-100р.txt»): the name goes as RFC 6266 ``filename*=UTF-8''…`` with an ASCII ``filename`` beside it for old
clients."""
from __future__ import annotations

import re
from urllib.parse import quote

from flask import Response

ATTR_CHARS = "!#$&+-.^_`|~"  # RFC 5987 attr-char besides letters and digits: left as they are


def attachment(file_name: str) -> str:
    """``attachment; filename="…"`` — with ``filename*`` carrying the UTF-8 name when it is not plain ASCII."""
    try:
        file_name.encode("ascii")
    except UnicodeEncodeError:
        stem, dot, suffix = file_name.rpartition(".")
        plain = re.sub(r"[^A-Za-z0-9._-]+", "_", (stem if dot else file_name).encode("ascii", "ignore").decode())
        fallback = (plain.strip("_") or "file") + (dot + suffix if dot and suffix.isascii() else "")
        return f'attachment; filename="{fallback}"; filename*=UTF-8\'\'{quote(file_name, safe=ATTR_CHARS)}'
    return 'attachment; filename="{}"'.format(file_name.replace("\\", "_").replace('"', "_"))


def download(data: bytes, file_name: str, mimetype: str) -> Response:
    """``data`` as a file the browser saves under ``file_name``."""
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": attachment(file_name)})
