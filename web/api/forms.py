"""The forms' data in the OpenAPI document: the engine's form contracts (``engine.forms``), one
component ``Form*`` per shipped form id. The engine checks ``data`` of
``POST /tasks/<instance>/<task>/complete`` against the task's contract (unknown fields and wrong types:
422 naming the field); a diagram's own form is checked against the fields its task declares.
"""
from __future__ import annotations

import marshmallow as ma

from engine.forms import SHIPPED

FORMS: dict[str, type[ma.Schema]] = dict(SHIPPED)
