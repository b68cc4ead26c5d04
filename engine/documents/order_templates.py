"""The seven order templates (``TEMPLATES``): per order type, how its data is checked, which clause it
cites and which numbered items it has (``templates_people``, ``templates_programs``)."""
from __future__ import annotations

from engine.db.models.orders import OrderType
from engine.documents.basics import OrderTemplate
from engine.documents.templates_people import (
    _items_appointment,
    _items_curator,
    _items_pairs,
    _norm_appointment,
    _norm_curator,
    _norm_pairs,
    _purpose_appointment,
    _purpose_curator,
    _purpose_pairs,
)
from engine.documents.templates_programs import (
    _items_completion,
    _items_extension,
    _items_release,
    _items_replacement,
    _norm_completion,
    _norm_extension,
    _norm_release,
    _norm_replacement,
    _purpose_completion,
    _purpose_extension,
    _purpose_release,
    _purpose_replacement,
)


TEMPLATES: dict[str, OrderTemplate] = {
    t.id: t
    for t in (
        OrderTemplate("appointment_of_mentors", OrderType.APPOINTMENT_OF_MENTORS, "О назначении наставников",
                      _norm_appointment, _purpose_appointment, _items_appointment),
        OrderTemplate("pair_formation", OrderType.PAIR_FORMATION, "О формировании наставнических пар (групп)",
                      _norm_pairs, _purpose_pairs, _items_pairs),
        OrderTemplate("curator_appointment", OrderType.CURATOR_APPOINTMENT, "О назначении куратора",
                      _norm_curator, _purpose_curator, _items_curator),
        OrderTemplate("extension", OrderType.EXTENSION,
                      "О продлении (изменении) персонализированной программы наставничества",
                      _norm_extension, _purpose_extension, _items_extension),
        OrderTemplate("completion", OrderType.COMPLETION, "О завершении персонализированной программы наставничества",
                      _norm_completion, _purpose_completion, _items_completion),
        OrderTemplate("mentor_replacement", OrderType.MENTOR_REPLACEMENT, "О замене наставника",
                      _norm_replacement, _purpose_replacement, _items_replacement),
        OrderTemplate("mentor_release", OrderType.MENTOR_RELEASE, "Об освобождении от обязанностей наставника",
                      _norm_release, _purpose_release, _items_release),
    )
}
