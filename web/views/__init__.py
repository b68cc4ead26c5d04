"""Blueprints, one module per area of the UI (each module defines ``bp``)."""
from __future__ import annotations

from importlib import import_module

from flask import Flask

AREAS = (
    "auth", "home", "inbox", "tasks", "registries", "pairs", "rulefiles", "packs", "methodology", "programs", "orders",
    "my", "attachments", "roadmap", "network", "network_work",
    "monitoring", "decisions", "bonus_fund", "dashboard",
    "admin", "admin_people", "account", "personal_data", "admin_import", "registry_edits",
    "calendar", "my_reports",
    "notifications",
    "health", "incidents",
    "analytic_reports",
    "designed_forms",
    "model_orders",
    "plan",
    "council",
    "iom",
    "ippr",
    "incentives", "practices",
)


def register_blueprints(app: Flask) -> None:
    for name in AREAS:
        app.register_blueprint(import_module(f"web.views.{name}").bp)
