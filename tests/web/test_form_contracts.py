"""Page forms cannot drift from the engine's form contracts: every field a person types on a step's
page is the contract's field with the contract's label, limits and required-ness; what the system fills
is never a page field; a page field the contract does not know is the page's own on purpose (listed
here with its reason); every label a page shows from a contract has its English translation."""
from __future__ import annotations

from pathlib import Path

import pytest
from wtforms import Form
from wtforms.fields import FieldList, RadioField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from engine.forms import SHIPPED, describe
from web.forms_network import (
    DevelopmentPlanForm,
    FormGroupForm,
    PlanDecisionForm,
    TraineeReviewForm,
    WorkPlanForm,
)
from web.forms_participants import (
    AgreeExtensionForm,
    ConsentForm,
    MentorPeriodReportForm,
    ReminderForm,
    StageReportForm,
)
from web.forms_roadmap import ROADMAP_FORMS
from web.i18n import read_catalog
from web.task_forms import CURATOR_FORMS
from web.views.monitoring import BaseReviewForm, MonitoringReportForm
from web.views.orders import RefuseForm

PAGE_FORMS = [*CURATOR_FORMS.values(), StageReportForm, ReminderForm, AgreeExtensionForm, ConsentForm, RefuseForm,
              MentorPeriodReportForm,
              *ROADMAP_FORMS.values(), FormGroupForm, WorkPlanForm, DevelopmentPlanForm, PlanDecisionForm,
              TraineeReviewForm, MonitoringReportForm, BaseReviewForm]
PAGE_ONLY = {  # fields of a page that no contract has, and why
    "csrf_token": "CSRF protection", "version": "the instance version the person saw (a conflict check)",
    "files": "attachments, stored beside the step",
    "attended_mentor_events": "the curator's answer the engine puts into bonus_facts (003 §9.3)",
    "analytical_materials": "the curator's answer the engine puts into bonus_facts (003 §9.3)",
    "personal_data": "the 152-ФЗ consent, recorded by the engine next to the step",
    "mentor": "the network mentor chosen among those of the direction; the engine puts the id into mentor_id",
    "trainees": "the trainees ticked among those waiting in the direction; the engine puts them into trainee_ids",
}
TRANSLATIONS = Path(__file__).resolve().parents[2] / "web" / "translations" / "en" / "LC_MESSAGES"


def _bound(form_class) -> Form:
    return form_class(formdata=None, meta={"csrf": False})


@pytest.fixture
def request_context(client):
    with client.application.test_request_context():
        yield


def _limit(field, kind):
    return [v for v in field.validators if isinstance(v, kind)]


def _check_length(form_class, name: str, field, max_length: int | None) -> None:
    if max_length is None:
        return
    if isinstance(field, FieldList):  # a list of entries (a program each): at most so many
        assert field.max_entries == max_length, (form_class.__name__, name)
        return
    assert [v.max for v in _limit(field, Length)] == [max_length], (form_class.__name__, name)
    assert f'maxlength="{max_length}"' in field()


@pytest.mark.parametrize("db_backend", ["sqlite"])
@pytest.mark.parametrize("form_class", PAGE_FORMS, ids=lambda form: form.__name__)
def test_a_page_form_shows_its_contract(form_class, request_context):
    assert form_class.contract in SHIPPED, form_class
    renamed = getattr(form_class, "contract_names", {})
    form = _bound(form_class)
    spec = describe(form_class.contract)
    for name, field_spec in spec.items():
        page_name = renamed.get(name, name)
        field = getattr(form, page_name, None)
        if field_spec.input in ("system", "api"):  # an API field a page asks with a control of its own: PAGE_ONLY
            own_control = field_spec.input == "api" and page_name in PAGE_ONLY
            assert (field is not None) == own_control, f"{form_class.__name__}.{page_name}: who fills it"
            continue
        if field_spec.input == "choice":
            buttons = [f for f in form if isinstance(f, SubmitField)]
            assert isinstance(field, RadioField) or len(buttons) >= 2 or form_class is RefuseForm, \
                f"{form_class.__name__}: the decision «{name}» needs its buttons or a yes/no choice"
            continue
        assert field is not None, f"{form_class.__name__} does not render the contract field {name}"
        assert str(field.label.text) == field_spec.label, (form_class.__name__, name)
        _check_length(form_class, name, field, field_spec.max_length)
        if isinstance(field, SelectField):  # the choices (appointed mentors) bound the value
            continue
        if field_spec.minimum is not None or field_spec.maximum is not None:
            assert [(v.min, v.max) for v in _limit(field, NumberRange)] == \
                [(field_spec.minimum, field_spec.maximum)], (form_class.__name__, name)
        else:
            assert not _limit(field, NumberRange)
        if field_spec.required:
            assert _limit(field, (DataRequired, InputRequired)), (form_class.__name__, name)
    known = {renamed.get(name, name) for name in spec}
    for field in form:
        if field.name in known or isinstance(field, SubmitField):
            continue
        assert field.name in PAGE_ONLY, f"{form_class.__name__}.{field.name} is in no contract: add it to the contract or to PAGE_ONLY with a reason"


def test_every_contract_form_a_person_fills_has_a_page():
    shown = {form.contract for form in PAGE_FORMS}
    assert shown == set(SHIPPED)
    assert set(CURATOR_FORMS) == {form.contract for form in CURATOR_FORMS.values()}


def test_every_label_a_page_takes_from_a_contract_is_translated():
    catalog = read_catalog(sorted(TRANSLATIONS.glob("*.po")), "en")
    english = {m.id: m.string for m in catalog if m.id}
    missing = sorted({spec.label for form in PAGE_FORMS for spec in describe(form.contract).values()
                      if spec.input == "text" and not english.get(spec.label)})
    assert missing == [], "translate in web/translations/en/LC_MESSAGES: " + repr(missing)
