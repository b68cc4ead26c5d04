"""The orders of an organization's mentorship model (004 прил. 1 п. 3.1.1) as each pack words them: the Yakutsk
school's, the Kunarskaya school's (001) and the Tomsk department's approval of its regulation (003 п. 1); the
pedagogical council's protocol is cited with its date and number, or not at all; a half-given protocol is refused
naming the field."""
from __future__ import annotations

from datetime import date

import pytest

from engine.documents import DocumentSettings, OrderDataError, render_order

SCHOOL = DocumentSettings(issuer_lines=("МОБУ СОШ № 5 Г. ЯКУТСКА",), time_zone="Asia/Yakutsk", place="г. Якутск")
RESPONSIBLE = {"full_name": "Смирнова Ольга Викторовна", "position": "заместитель директора"}
COUNCIL = {"council_held_on": date(2025, 8, 29), "council_protocol_number": "1"}
DATA = {
    "target_model": {"starts_on": date(2025, 9, 1)},
    "implementation_plan": {"plan_title": "Дорожная карта на 2025/2026 учебный год.", "starts_on": date(2025, 9, 15),
                            **COUNCIL},
    "regulation": {"effective_on": date(2025, 9, 15), **COUNCIL},
    "final_event": {"event_title": "Фестиваль наставнических практик", "held_on": date(2026, 5, 20),
                    "responsible": RESPONSIBLE},
}
WORDING = {
    "target_model": ["О внедрении целевой модели наставничества", "1. Внедрить с 01.09.2025"],
    "implementation_plan": ["(протокол от 29.08.2025 № 1)", "«Дорожная карта на 2025/2026 учебный год» (приложение)",
                            "с 15.09.2025"],
    "regulation": ["Об утверждении Положения о наставничестве", "(протокол от 29.08.2025 № 1)",
                   "ввести его в действие с 15.09.2025"],
    "final_event": ["1. Провести 20.05.2026 итоговое мероприятие", "«Фестиваль наставнических практик»",
                    "Смирнова Ольга Викторовна (заместитель директора)"],
}


@pytest.mark.parametrize("regulation", ["yakutsk", "school"])
@pytest.mark.parametrize("kind", sorted(DATA))
def test_each_school_pack_words_each_model_order(regulation, kind):
    text = " ".join(render_order(kind, DATA[kind], regulation=regulation, settings=SCHOOL).split())
    for piece in WORDING[kind]:
        assert piece in text, (regulation, kind, piece)
    assert ", ПРИКАЗЫВАЮ:" in text and "Контроль исполнения приказа оставляю за собой." in text


def test_without_the_council_protocol_the_order_cites_none():
    text = render_order("regulation", {"effective_on": date(2025, 9, 15), "regulation_title": "Положение о наставничестве "
                                       "в МОБУ СОШ № 5"}, regulation="yakutsk", settings=SCHOOL)
    assert "протокол" not in text and "Утвердить «Положение о наставничестве в МОБУ СОШ № 5»" in " ".join(text.split())
    school = " ".join(render_order("regulation", {"effective_on": "2025-09-15"}, regulation="school",
                                   settings=SCHOOL).split())
    assert "Утвердить Положение о наставничестве МАОУ Кунарской СОШ (приложение)" in school


def test_tomsk_approves_its_regulation():
    text = " ".join(render_order("regulation", {"effective_on": date(2024, 2, 20)}, regulation="tomsk",
                                 settings=SCHOOL).split())
    assert "Утвердить Положение о наставничестве руководителей муниципальных образовательных учреждений г. Томска " \
           "(приложение) и ввести его в действие с 20.02.2024." in text
    with pytest.raises(OrderDataError, match="не предусматривает"):
        render_order("target_model", DATA["target_model"], regulation="tomsk", settings=SCHOOL)


def test_a_half_given_protocol_is_refused_naming_the_missing_field():
    with pytest.raises(OrderDataError) as refused:
        render_order("implementation_plan", {"plan_title": "План", "starts_on": "2025-09-01",
                                             "council_held_on": "2025-08-29"}, regulation="yakutsk", settings=SCHOOL)
    assert refused.value.where == "implementation_plan.council_protocol_number"
    assert "датой и номером вместе" in str(refused.value)
