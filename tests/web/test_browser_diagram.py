"""bpmn-js (pinned, served from /static/vendor) renders a real workflow under our CSP, with markers."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import Blueprint, Response, render_template_string

ROOT = Path(__file__).resolve().parents[2]

PAGE = """{% extends "base.html" %}
{% block head %}
<link rel="stylesheet" href="{{ url_for('static', filename='vendor/bpmn-js/assets/diagram-js.css') }}">
<link rel="stylesheet" href="{{ url_for('static', filename='vendor/bpmn-js/assets/bpmn-js.css') }}">
<link rel="stylesheet" href="{{ url_for('static', filename='vendor/bpmn-js/assets/bpmn-font/css/bpmn.css') }}">
{% endblock %}
{% block content %}
<h1>Формирование наставнической пары</h1>
<div id="diagram" class="diagram" data-bpmn-src="{{ url_for('diagram_probe.xml') }}"
     data-bpmn-markers='{"Task_propose_pair": "completed", "Task_mentor_consent": "active"}'></div>
{% endblock %}
{% block scripts %}
<script src="{{ url_for('static', filename='vendor/bpmn-js/bpmn-navigated-viewer.production.min.js') }}"></script>
<script src="{{ url_for('static', filename='js/diagram.js') }}"></script>
{% endblock %}
"""


@pytest.fixture(scope="module")
def live_blueprints():
    probe = Blueprint("diagram_probe", __name__)

    @probe.route("/_probe/diagram")
    def page():
        return render_template_string(PAGE)

    @probe.route("/_probe/diagram.bpmn")
    def xml():
        return Response((ROOT / "workflows" / "pair_formation.bpmn").read_bytes(), mimetype="application/xml")

    return [probe]


def test_bpmn_diagram_renders_under_the_csp_with_markers(web_page):
    page = web_page.page
    web_page.login("curator")
    web_page.goto("/_probe/diagram")
    page.wait_for_selector("#diagram[data-bpmn-state]", timeout=15000)
    assert page.get_attribute("#diagram", "data-bpmn-state") == "ready", page.get_attribute("#diagram", "data-bpmn-error")
    assert page.locator('#diagram [data-element-id="Task_mentor_consent"].is-active').count() == 1
    assert page.locator('#diagram [data-element-id="Task_propose_pair"].is-completed').count() == 1
    web_page.shot("11-bpmn-diagram")
    assert web_page.console_errors == []
