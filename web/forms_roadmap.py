"""Forms of the roadmap year page (004 п. 4.3, прил. 2): each step of ``workflows/school_roadmap.bpmn`` takes its
fields from the engine's form contracts (``web.contract_fields``); which event of the year a form is about is in
its action's query (``?key=5.1#2``) and its prefix (the page has one form per row); the start form is the page's own."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField
from wtforms.validators import DataRequired, Optional

from engine.forms import FormId
from web.contract_fields import contract_field, contract_label


class RoadmapForm(FlaskForm):
    contract: str = ""

    def values(self) -> dict:
        """The contract's fields as the engine takes them (dates as ISO text, empty ones left out)."""
        found = {}
        for field in self:
            name = field.short_name
            if name == "csrf_token" or field.data in (None, ""):
                continue
            found[name] = field.data.isoformat() if hasattr(field.data, "isoformat") else field.data
        return found


class EventDoneForm(RoadmapForm):
    contract = FormId.ROADMAP_EVENT_DONE
    evidence = contract_field(contract, "evidence", required=_l("Укажите, чем подтверждено выполнение"),
                              render_kw={"rows": 2})
    done_on = DateField(contract_label(contract, "done_on"), validators=[Optional()])


class OverdueForm(RoadmapForm):
    contract = FormId.ROADMAP_OVERDUE
    measures = contract_field(contract, "measures", required=_l("Опишите принятые меры"), render_kw={"rows": 2})


class InterimAnalysisForm(RoadmapForm):
    contract = FormId.ROADMAP_INTERIM_ANALYSIS
    pairs_working = contract_field(contract, "pairs_working", IntegerField)
    state = contract_field(contract, "state", required=_l("Опишите состояние реализации модели"), render_kw={"rows": 4})
    corrections = contract_field(contract, "corrections", render_kw={"rows": 3})


class CompletionForm(RoadmapForm):
    contract = FormId.ROADMAP_COMPLETION
    pairs_completed = contract_field(contract, "pairs_completed", IntegerField)
    effectiveness = contract_field(contract, "effectiveness", required=_l("Опишите эффективность наставничества"),
                                   render_kw={"rows": 4})
    experience = contract_field(contract, "experience", render_kw={"rows": 3})
    problems = contract_field(contract, "problems", render_kw={"rows": 3})
    fair_held = BooleanField(contract_label(contract, "fair_held"))


ROADMAP_FORMS: dict[str, type[RoadmapForm]] = {form.contract: form for form in (
    EventDoneForm, OverdueForm, InterimAnalysisForm, CompletionForm)}


class StartYearForm(FlaskForm):
    organization_id = HiddenField(validators=[DataRequired()])
    academic_year = SelectField(_l("Учебный год"), coerce=int, validate_choice=False)
