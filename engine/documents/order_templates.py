"""The seven order templates (``TEMPLATES``): per order type, how its data is checked, which clause it
cites and which numbered items it has (``templates_people``, ``templates_programs``)."""
from __future__ import annotations

from engine.documents.basics import OrderTemplate
from engine.documents.templates_people import (
    items_appointment,
    items_curator,
    items_pairs,
    norm_appointment,
    norm_curator,
    norm_pairs,
    purpose_appointment,
    purpose_curator,
    purpose_pairs,
)
from engine.documents.templates_programs import (
    items_completion,
    items_extension,
    items_release,
    items_replacement,
    norm_completion,
    norm_extension,
    norm_release,
    norm_replacement,
    purpose_completion,
    purpose_extension,
    purpose_release,
    purpose_replacement,
)
from engine.vocabulary import OrderType

TEMPLATES: dict[str, OrderTemplate] = {
    t.id: t
    for t in (
        OrderTemplate("appointment_of_mentors", OrderType.APPOINTMENT_OF_MENTORS, "О назначении наставников",
                      norm_appointment, purpose_appointment, items_appointment),
        OrderTemplate("pair_formation", OrderType.PAIR_FORMATION, "О формировании наставнических пар (групп)",
                      norm_pairs, purpose_pairs, items_pairs),
        OrderTemplate("curator_appointment", OrderType.CURATOR_APPOINTMENT, "О назначении куратора",
                      norm_curator, purpose_curator, items_curator),
        OrderTemplate("extension", OrderType.EXTENSION,
                      "О продлении (изменении) персонализированной программы наставничества",
                      norm_extension, purpose_extension, items_extension),
        OrderTemplate("completion", OrderType.COMPLETION, "О завершении персонализированной программы наставничества",
                      norm_completion, purpose_completion, items_completion),
        OrderTemplate("mentor_replacement", OrderType.MENTOR_REPLACEMENT, "О замене наставника",
                      norm_replacement, purpose_replacement, items_replacement),
        OrderTemplate("mentor_release", OrderType.MENTOR_RELEASE, "Об освобождении от обязанностей наставника",
                      norm_release, purpose_release, items_release),
    )
}
