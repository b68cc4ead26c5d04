"""Blueprints, one module per area of the UI."""
from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from web.views import auth, home, inbox

    for module in (auth, home, inbox):
        app.register_blueprint(module.bp)
