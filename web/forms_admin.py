"""Forms of the administrator's organization pages: an organization's details and document settings, and a role
given to a person. The service checks everything again (``engine.services.administration``) and names the field;
``ORGANIZATION_FIELDS`` maps its field names onto these forms' fields (``form_field``: a day of the curator's
calendar, ``calendar_days.<entry id>``, onto ``calendar_day_<entry id>`` of ``organization_form``)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from engine.regulations.calendar_days import typed
from engine.regulations.pack_parts import ReportDate
from engine.services.administration.organization_details import TIME_ZONE_LABELS

DOCUMENT_KINDS = [SelectChoice("ПРИКАЗ", _l("Приказ")), SelectChoice("РАСПОРЯЖЕНИЕ", _l("Распоряжение"))]

# the service's field names -> the form's
ORGANIZATION_FIELDS = {
    "name": "name", "short_name": "short_name", "kind": "kind", "inn": "inn", "ogrn": "ogrn",
    "document_settings.kind": "document_kind", "document_settings.number_suffix": "number_suffix",
    "document_settings.issuer_lines": "issuer_lines", "document_settings.time_zone": "time_zone",
    "document_settings.place": "place", "regulation": "parent_id", "report_dates": "report_dates",
}


CALENDAR_FIELD = "calendar_day_"  # + the entry's id: a day of the curator's calendar (001 §2.4)


def form_field(name: str) -> str | None:
    """The form's field for the service's field name."""
    if name.startswith("calendar_days."):
        return CALENDAR_FIELD + name.split(".", 1)[1]
    return ORGANIZATION_FIELDS.get(name)


def time_zone_label(zone: str) -> str:
    return TIME_ZONE_LABELS.get(zone, zone)


def choices(pairs: list[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as a select's choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class OrganizationForm(FlaskForm):
    name = StringField(_l("Полное наименование"), validators=[
        DataRequired(_l("Укажите полное наименование")), Length(max=500)])
    short_name = StringField(_l("Краткое наименование"), validators=[Optional(), Length(max=120)])
    kind = SelectField(_l("Вид организации"), validate_choice=False)
    inn = StringField(_l("ИНН (необязательно)"), validators=[Optional(), Length(max=12)],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
    ogrn = StringField(_l("ОГРН (необязательно)"), validators=[Optional(), Length(max=15)],
                       render_kw={"inputmode": "numeric", "autocomplete": "off"})
    document_kind = SelectField(_l("Вид распорядительного акта"), choices=DOCUMENT_KINDS, validate_choice=False)
    number_suffix = StringField(_l("Суффикс номера (например, «р»: «№ 100р»)"), validators=[Optional(),
                                                                                          Length(max=16)])
    issuer_lines = TextAreaField(_l("Шапка документа: строки издающей организации (по одной в строке)"),
                                 validators=[Optional(), Length(max=1300)], render_kw={"rows": 3})
    time_zone = SelectField(_l("Часовой пояс документов"), validate_choice=False)
    place = StringField(_l("Место издания (например, «г. Томск»)"), validators=[Optional(), Length(max=120)])
    report_dates = StringField(_l("Даты отчётов наставников (день.месяц через запятую)"),
                               validators=[Optional(), Length(max=200)], render_kw={"autocomplete": "off"})
    submit = SubmitField(_l("Сохранить"))

    def details(self) -> dict[str, Any]:
        """The form as the service reads an organization's details."""
        return {
            "name": self.name.data or "", "short_name": self.short_name.data or None, "kind": self.kind.data or None,
            "inn": (self.inn.data or "").strip() or None, "ogrn": (self.ogrn.data or "").strip() or None,
            "document_settings": {
                "kind": self.document_kind.data or None, "number_suffix": self.number_suffix.data or None,
                "issuer_lines": self.issuer_lines.data or None, "time_zone": self.time_zone.data or None,
                "place": self.place.data or None},
            **({"report_dates": self.report_dates.data or None} if "report_dates" in self._fields else {}),
            **({"calendar_days": days} if (days := self.calendar_days()) else {})}

    def calendar_days(self) -> dict[str, str | None]:
        """The days of the curator's calendar typed ({entry id: «25.12»}; empty — the pack's)."""
        return {name[len(CALENDAR_FIELD):]: (field.data or "").strip() or None
                for name, field in self._fields.items() if name.startswith(CALENDAR_FIELD)}

    def fill(self, organization: Any) -> None:
        """The organization's stored values (the settings it set; empty ones follow the pack and the name)."""
        settings = organization.document_settings or {}
        self.name.data, self.short_name.data = organization.name, organization.short_name
        self.kind.data, self.inn.data, self.ogrn.data = organization.kind, organization.inn, organization.ogrn
        self.document_kind.data = settings.get("kind") or "ПРИКАЗ"
        self.number_suffix.data = settings.get("number_suffix") or ""
        self.issuer_lines.data = "\n".join(settings.get("issuer_lines") or [])
        self.time_zone.data = settings.get("time_zone") or ""
        self.place.data = settings.get("place") or ""
        self.report_dates.data = ", ".join(f"{day[3:5]}.{day[0:2]}" for day in organization.report_dates or [])
        for entry_id, day in (organization.calendar_days or {}).items():
            if CALENDAR_FIELD + entry_id in self._fields:
                self[CALENDAR_FIELD + entry_id].data = typed(day)


def organization_form(entries: list[tuple[ReportDate, str, str]]) -> OrganizationForm:
    """The organization's form with a day field per entry of its pack's curator's calendar ((the pack's entry, its
    day, the pack's day): the pack's day shown where none is set)."""
    class Form(OrganizationForm):
        pass

    for entry, _day, pack_day in entries:
        setattr(Form, CALENDAR_FIELD + entry.id, StringField(
            entry.label, default=typed(pack_day), validators=[Optional(), Length(max=10)],
            render_kw={"autocomplete": "off", "inputmode": "decimal", "placeholder": typed(pack_day),
                       "data-calendar-day": entry.id}))
    return Form()


class NewOrganizationForm(OrganizationForm):
    parent_id = SelectField(_l("Вышестоящая организация"), coerce=int, validate_choice=False)
    report_dates = None  # set on the organization's page once it exists
    submit = SubmitField(_l("Создать организацию"))


class GrantRoleForm(FlaskForm):
    person_id = SelectField(_l("Человек"), coerce=int, validate_choice=False,
                            validators=[DataRequired(_l("Выберите человека"))])
    role = SelectField(_l("Роль"), validators=[DataRequired(_l("Выберите роль"))], validate_choice=False)
    submit = SubmitField(_l("Назначить роль"))


class RevokeRoleForm(FlaskForm):
    """A revoke button (CSRF token only)."""
