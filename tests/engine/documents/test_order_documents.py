"""The text of orders: every template, the header and number, the signatory and signature stamp (002),
determinism and the SHA-256 over the text."""
from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from engine.db.models import OrderType
from engine.documents import (
    DRAFT_DATE_LINE,
    SIGNATURE_BLANK,
    TEMPLATES,
    DocumentSettings,
    OrderDataError,
    document_sha256,
    finalize_order,
    initials,
    normalize_data,
    render_order,
    settings_for,
    signature_stamp,
)
from engine.errors import NastavnikError

TOMSK = DocumentSettings(issuer_lines=("АДМИНИСТРАЦИЯ ГОРОДА ТОМСКА", "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ"),
                         kind="РАСПОРЯЖЕНИЕ", number_suffix="р", time_zone="Asia/Tomsk", place="г. Томск")
TOMSK_PRIKAZ = DocumentSettings(issuer_lines=("ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА ТОМСКА",),
                                time_zone="Asia/Tomsk", place="г. Томск")
YAKUTSK = DocumentSettings(issuer_lines=("УПРАВЛЕНИЕ ОБРАЗОВАНИЯ ОКРУЖНОЙ АДМИНИСТРАЦИИ ГОРОДА ЯКУТСКА",),
                           time_zone="Asia/Yakutsk", place="г. Якутск")
HEAD = {"full_name": "Савенков Максим Геннадьевич", "position": "Начальник департамента"}
SIGNED_AT = datetime(2024, 2, 20, 3, 0, 55, tzinfo=UTC)  # 10:00:55 in Tomsk (+07:00)


def person(name: str, position: str = "директор", organization: str = "МАОУ СОШ № 8") -> dict:
    return {"full_name": name, "position": position, "organization": organization}


MENTOR = person("Петров Пётр Петрович")
MENTEE = person("Новикова Ольга Сергеевна", organization="МАОУ СОШ № 2")
MENTEE2 = person("Орлов Игорь Андреевич", "заместитель директора", "МАОУ гимназия № 6")
PAIR = {"mentor": MENTOR, "mentees": [MENTEE], "form": "head_head",
        "started_on": date(2024, 9, 1), "planned_end_on": date(2026, 8, 31)}

SAMPLES: dict[str, dict] = {
    "appointment_of_mentors": {"mentors": [MENTOR, person("Сидорова Анна Ивановна", organization="МАОУ лицей № 1")],
                               "starts_on": date(2024, 9, 1)},
    "pair_formation": {"groups": [PAIR, {"mentor": person("Сидорова Анна Ивановна"), "mentees": [MENTEE2, MENTEE]}],
                       "starts_on": date(2024, 9, 1), "ends_on": date(2026, 8, 31)},
    "curator_appointment": {"curator": person("Боровикова Наталья Алексеевна", "главный специалист",
                                              "департамент образования"), "starts_on": "2024-01-15"},
    "extension": {"program": PAIR, "new_end_on": date(2026, 12, 31), "changes": "скорректирован план мероприятий",
                  "basis": "ходатайство куратора от 01.06.2026"},
    "completion": {"program": PAIR, "ground": "plan_completed", "completed_on": date(2026, 8, 31)},
    "mentor_replacement": {"program": PAIR, "new_mentor": person("Кузнецов Сергей Николаевич"),
                           "on": date(2025, 1, 10), "reason": "длительная командировка наставника"},
    "mentor_release": {"mentor": MENTOR, "released_on": date(2025, 1, 10), "mentees": [MENTEE]},
    "contest_result": {"contest": "Лучший наставник", "incentive": "диплом победителя",
                       "winners": [{"person": MENTOR, "place": "1"}]},
}

SUBJECTS = {
    "appointment_of_mentors": "О назначении наставников",
    "pair_formation": "О формировании наставнических пар (групп)",
    "curator_appointment": "О назначении куратора",
    "extension": "О продлении (изменении) персонализированной программы наставничества",
    "completion": "О завершении персонализированной программы наставничества",
    "mentor_replacement": "О замене наставника",
    "mentor_release": "Об освобождении от обязанностей наставника",
    "contest_result": "Об итогах конкурса «Лучший наставник»",
}

# (clause cited in the preamble, names and wording the text must carry) — Tomsk, 003
GOLDEN_TOMSK = {
    "appointment_of_mentors": ("В соответствии с п. 3.4 Положения о наставничестве руководителей", [
        "1. Назначить наставниками сроком на два года (с 01.09.2024 по 31.08.2026):",
        "1.1. Петров Пётр Петрович (директор, МАОУ СОШ № 8).",
        "1.2. Сидорова Анна Ивановна (директор, МАОУ лицей № 1).",
    ]),
    "pair_formation": ("В соответствии с п. 3.2, 6.2 Положения", [
        "с письменного согласия участников наставнических пар (групп)",
        "1.1. Наставник – Петров Пётр Петрович (директор, МАОУ СОШ № 8); наставляемый – Новикова Ольга Сергеевна "
        "(директор, МАОУ СОШ № 2); форма наставничества – «руководитель – руководитель».",
        "1.2. Наставник – Сидорова Анна Ивановна (директор, МАОУ СОШ № 8); наставляемые – Орлов Игорь Андреевич "
        "(заместитель директора, МАОУ гимназия № 6), Новикова Ольга Сергеевна",
        "с 01.09.2024 по 31.08.2026 (24 месяца, п. 1.2.6 Положения)",
    ]),
    "curator_appointment": ("В соответствии с п. 3.2, 3.3 Положения", [
        "с 15.01.2024: Боровикова Наталья Алексеевна (главный специалист, департамент образования).",
    ]),
    "extension": ("В соответствии с п. 7.2 Положения", [
        "по обоюдному согласию наставника и наставляемого, на основании ходатайства куратора",
        "до 31.12.2026 (ранее – до 31.08.2026).",
        "Внести изменения в указанную персонализированную программу наставничества: скорректирован план мероприятий.",
        "Основание: ходатайство куратора от 01.06.2026.",
    ]),
    "completion": ("В соответствии с п. 7.1 Положения", [
        "в связи с завершением плана мероприятий персонализированной программы наставничества в полном объёме",
        "1. Завершить 31.08.2026 реализацию персонализированной программы наставничества (наставник – Петров Пётр "
        "Петрович", "основание – п. 7.1 Положения: «завершения плана мероприятий персонализированной программы "
        "наставничества в полном объеме (в течение 24 месяцев)».",
    ]),
    "mentor_replacement": ("В соответствии с п. 5.1 Положения", [
        "на основании ходатайства наставляемого о замене наставника",
        "1. Освободить от обязанностей наставника с 10.01.2025: Петров Пётр Петрович (директор, МАОУ СОШ № 8); "
        "наставляемый – Новикова Ольга Сергеевна (директор, МАОУ СОШ № 2); причина – длительная командировка "
        "наставника.",
        "2. Закрепить наставником с 10.01.2025, с письменного согласия наставника (п. 3.2 Положения): Кузнецов "
        "Сергей Николаевич (директор, МАОУ СОШ № 8);",
    ]),
    "mentor_release": ("В соответствии с п. 4.1 Положения", [
        "на основании заявления наставника о сложении с него обязанностей наставника",
        "1. Освободить от обязанностей наставника с 10.01.2025: Петров Пётр Петрович (директор, МАОУ СОШ № 8).",
        "предложить кандидатуру наставника для наставляемого: Новикова Ольга Сергеевна (п. 3.3 Положения).",
    ]),
    "contest_result": ("В соответствии с п. 9.1 Положения", [
        "1. Утвердить итоги конкурса «Лучший наставник» и признать победителями:",
        "1.1. 1 место — Петров Пётр Петрович (директор, МАОУ СОШ № 8).",
        "2. Поощрить победителей конкурса: диплом победителя.",
    ]),
}


MODEL_ORDERS = {"target_model", "implementation_plan", "regulation", "final_event"}  # test_model_order_documents


def test_every_template_has_golden_text():
    assert set(TEMPLATES) - MODEL_ORDERS == set(SAMPLES) == set(GOLDEN_TOMSK)
    assert TEMPLATES["mentor_replacement"].order_type == OrderType.MENTOR_REPLACEMENT


@pytest.mark.parametrize("template_id", sorted(SAMPLES))
def test_tomsk_draft_of_each_template(template_id):
    text = render_order(template_id, SAMPLES[template_id], regulation="tomsk", settings=TOMSK_PRIKAZ)
    clause, wording = GOLDEN_TOMSK[template_id]
    lines = text.split("\n")
    assert lines[:9] == ["ПРОЕКТ", "", "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА ТОМСКА", "", "ПРИКАЗ", "",
                         DRAFT_DATE_LINE, "г. Томск", ""]
    assert lines[9] == SUBJECTS[template_id] == TEMPLATES[template_id].subject
    assert lines[11].startswith(clause) and lines[11].endswith(", ПРИКАЗЫВАЮ:")
    assert "от 20.02.2024 № 100р (далее – Положение)" in lines[11]
    for piece in wording:
        assert piece in text, piece
    assert "Контроль исполнения приказа оставляю за собой." in text
    assert lines[-2] == f"Руководитель {SIGNATURE_BLANK}" and lines[-1] == ""  # nobody named yet
    assert "\r" not in text and "Я подтверждаю" not in text


@pytest.mark.parametrize("template_id", sorted(SAMPLES))
def test_signed_document_of_each_template(template_id):
    text = render_order(template_id, SAMPLES[template_id], regulation="tomsk", settings=TOMSK, signatory=HEAD,
                        number="100р", issued_on=date(2024, 2, 20), signed_at=SIGNED_AT)
    lines = text.split("\n")
    assert lines[:8] == ["АДМИНИСТРАЦИЯ ГОРОДА ТОМСКА", "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ", "", "РАСПОРЯЖЕНИЕ", "",
                         "20.02.2024 № 100р", "г. Томск", ""]
    assert "ПРОЕКТ" not in text and DRAFT_DATE_LINE not in text and SIGNATURE_BLANK not in text
    assert "Контроль исполнения распоряжения оставляю за собой." in text
    assert "ПРИКАЗЫВАЮ" not in text  # a распоряжение has no operative word
    assert lines[-4:] == ["Начальник департамента М.Г. Савенков", "",
                          "2024-02-20T10:00:55+0700 Савенков Максим Геннадьевич Я подтверждаю этот документ", ""]


def test_signed_is_the_finalized_draft_and_rendering_is_deterministic():
    for template_id, data in SAMPLES.items():
        draft = render_order(template_id, data, regulation="tomsk", settings=TOMSK, signatory=HEAD)
        assert "Начальник департамента ________________ М.Г. Савенков" in draft
        signed = render_order(template_id, data, regulation="tomsk", settings=TOMSK, signatory=HEAD,
                              number="7р", issued_on=date(2024, 2, 20), signed_at=SIGNED_AT)
        assert signed == finalize_order(draft, number="7р", issued_on=date(2024, 2, 20), signatory=HEAD,
                                        signed_at=SIGNED_AT, settings=TOMSK)
        again = render_order(template_id, dict(data), regulation="tomsk", settings=TOMSK, signatory=HEAD,
                             number="7р", issued_on=date(2024, 2, 20), signed_at=SIGNED_AT)
        assert again == signed and document_sha256(again) == document_sha256(signed)
        # normalised data is JSON-able and normalising it again changes nothing (it is what the audit keeps)
        normalized = normalize_data(template_id, data, regulation="tomsk")
        assert normalize_data(template_id, normalized, regulation="tomsk") == normalized
        assert render_order(template_id, normalized, regulation="tomsk", settings=TOMSK, signatory=HEAD) == draft


def test_people_may_be_objects_with_attributes():
    school = SimpleNamespace(name="МАОУ СОШ № 8")
    mentor = SimpleNamespace(full_name="Петров Пётр Петрович", position="директор", organization=school)
    text = render_order("appointment_of_mentors", {"mentors": [mentor], "starts_on": date(2024, 9, 1)},
                        regulation="tomsk", settings=TOMSK)
    assert "1.1. Петров Пётр Петрович (директор, МАОУ СОШ № 8)." in text
    bare = SimpleNamespace(full_name="Петров Пётр Петрович", position=None, organization=None)
    text = render_order("mentor_release", {"mentor": bare, "released_on": "2025-01-10"}, regulation="tomsk",
                        settings=TOMSK)
    assert "с 10.01.2025: Петров Пётр Петрович." in text


def test_yakutsk_network_mentors_for_one_academic_year():
    data = {"mentors": [{"person": MENTOR, "direction": "Функциональная грамотность"}], "starts_on": "2024-09-01"}
    text = render_order("appointment_of_mentors", data, regulation="yakutsk", settings=YAKUTSK, signatory=HEAD,
                        number="12", issued_on=date(2024, 8, 30), signed_at=datetime(2024, 8, 30, 1, 2, 3, tzinfo=UTC))
    assert "В соответствии с п. 2 раздела III Положения о Координационном центре сетевых наставников" in text
    assert ("1. Назначить сетевыми наставниками сроком на один учебный год (2024/2025 учебный год, с 01.09.2024 "
            "по 31.08.2025) с закреплением направлений профессиональной деятельности:") in text
    assert "1.1. Петров Пётр Петрович (директор, МАОУ СОШ № 8), направление – «Функциональная грамотность»." in text
    assert text.startswith("УПРАВЛЕНИЕ ОБРАЗОВАНИЯ ОКРУЖНОЙ АДМИНИСТРАЦИИ ГОРОДА ЯКУТСКА\n\nПРИКАЗ\n\n30.08.2024 № 12\n")
    assert text.endswith("\n2024-08-30T10:02:03+0900 Савенков Максим Геннадьевич Я подтверждаю этот документ\n")


# 004 III.2 (mentors), п. 4.1 (curator), III.4 (groups of trainees), IV.1 (the year's end); 004 has no petitions,
# so no extension, replacement or release of a network mentor; the best-mentor contest's result: 004 прил. 1 п. 6.1
YAKUTSK_ORDERS = {"appointment_of_mentors", "curator_appointment", "pair_formation", "completion", "contest_result"}


@pytest.mark.parametrize("regulation", ["tomsk", "yakutsk"])
@pytest.mark.parametrize("template_id", sorted(SAMPLES))
def test_each_pack_renders_the_orders_it_lists(template_id, regulation):
    settings = YAKUTSK if regulation == "yakutsk" else TOMSK
    if regulation == "yakutsk" and template_id not in YAKUTSK_ORDERS:
        with pytest.raises(OrderDataError, match="положение «Сетевое наставничество .*» не предусматривает приказ "
                                                 f"«{re.escape(SUBJECTS[template_id])}»") as caught:
            render_order(template_id, SAMPLES[template_id], regulation=regulation, settings=settings)
        assert caught.value.where == "order_type"
        return
    text = render_order(template_id, SAMPLES[template_id], regulation=regulation, settings=settings)
    assert SUBJECTS[template_id] in text
    if (template_id, regulation) == ("curator_appointment", "yakutsk"):  # 004 order, item 4.1
        assert "В соответствии с п. 4.1 приказа Управления образования Окружной администрации города Якутска" in text
        assert "от 11.11.2021 № 9/101 925" in text
    elif (template_id, regulation) == ("contest_result", "yakutsk"):  # the target model's roadmap, not the Положение
        assert "«Целевой модели наставничества в образовательном пространстве города Якутска»" in text
    else:
        assert "(далее – Положение)" in text
    if regulation == "yakutsk":
        assert "Томск" not in text.replace(SUBJECTS[template_id], "")


def test_appointment_terms_individual_and_non_standard():
    data = {"mentors": [{"person": MENTOR, "starts_on": "2024-09-01"},
                        {"person": MENTEE, "starts_on": "2025-02-01", "ends_on": "2025-12-31"}]}
    text = render_order("appointment_of_mentors", data, regulation="tomsk", settings=TOMSK)
    assert "1. Назначить наставниками:" in text
    assert "(директор, МАОУ СОШ № 8), сроком на два года (с 01.09.2024 по 31.08.2026)." in text
    assert "(директор, МАОУ СОШ № 2), на срок с 01.02.2025 по 31.12.2025." in text


@pytest.mark.parametrize(("ground", "quote", "phrase"), [
    ("plan_completed", "завершения плана мероприятий персонализированной программы наставничества в полном объеме",
     "в связи с завершением плана мероприятий персонализированной программы наставничества"),
    ("b", "по инициативе наставника или наставляемого и/или обоюдному решению (по уважительным обстоятельствам)",
     "по инициативе наставника и (или) наставляемого по уважительным обстоятельствам"),
    ("в", "по инициативе куратора (в случае недолжного исполнения персонализированной программы наставничества",
     "по инициативе куратора в связи с недолжным исполнением персонализированной программы"),
])
def test_completion_grounds_of_7_1_are_quoted_not_lettered(ground, quote, phrase):
    """003 §7.1 lists its grounds as unlettered dashes: the order quotes the ground instead of a «подпункт «а»»
    the Положение does not have."""
    data = {"program": PAIR, "ground": ground, "completed_on": "2025-05-31", "note": "форс-мажор."}
    text = render_order("completion", data, regulation="tomsk", settings=TOMSK)
    assert phrase in text and "подпункт" not in text
    assert f"основание – п. 7.1 Положения: «{quote}" in " ".join(text.split())
    assert "» (форс-мажор)." in text


def test_signature_stamp_of_002():
    at = datetime(2023, 2, 27, 3, 0, 55, 123456, tzinfo=UTC)
    assert signature_stamp("Кузнецов Сергей Николаевич", at, "Asia/Tomsk") == (
        "2023-02-27T10:00:55+0700 Кузнецов Сергей Николаевич Я подтверждаю этот документ")
    assert signature_stamp("Кузнецов Сергей Николаевич", at, "Asia/Yakutsk").startswith("2023-02-27T12:00:55+0900 ")
    with pytest.raises(OrderDataError):
        signature_stamp("Кузнецов Сергей Николаевич", datetime(2023, 2, 27, 10, 0), "Asia/Tomsk")


def test_initials():
    assert initials("Савенков Максим Геннадьевич") == "М.Г. Савенков"
    assert initials("Савенков Максим") == "М. Савенков"
    assert initials("Савенков") == "Савенков"


def test_sha256_is_over_utf8_with_normalised_newlines():
    text = "ПРИКАЗ\n\n1. Текст\n"
    assert document_sha256(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert document_sha256(text.replace("\n", "\r\n")) == document_sha256(text)
    assert document_sha256(text + " ") != document_sha256(text)


def test_settings_for_an_organization():
    tomsk = SimpleNamespace(name="Администрация Города Томска / Департамент образования", regulation="tomsk")
    settings = settings_for(tomsk)
    assert settings.issuer_lines == ("АДМИНИСТРАЦИЯ ГОРОДА ТОМСКА", "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ")
    assert (settings.kind, settings.number_suffix, settings.time_zone, settings.place) == (
        "ПРИКАЗ", "", "Asia/Tomsk", "г. Томск")
    yakutsk = SimpleNamespace(name="Управление образования", regulation="yakutsk")
    assert (settings_for(yakutsk).time_zone, settings_for(yakutsk).place) == ("Asia/Yakutsk", "г. Якутск")
    tomsk.document_settings = {"kind": "распоряжение", "number_suffix": "р"}
    configured = settings_for(tomsk)
    assert (configured.kind, configured.format_number(100)) == ("РАСПОРЯЖЕНИЕ", "100р")
    assert settings_for(tomsk, {"place": None}).place is None


@pytest.mark.parametrize("overrides", [{"kind": "УКАЗ"}, {"time_zone": "Asia/Nowhere"}, {"number_suffix": "1р"},
                                       {"number_suffix": "р р"}, {"issuer_lines": []}, {"colour": "red"}])
def test_bad_settings_are_refused(overrides):
    with pytest.raises(OrderDataError):
        settings_for(SimpleNamespace(name="Департамент", regulation="tomsk"), overrides)


@pytest.mark.parametrize(("template_id", "data", "where"), [
    ("appointment_of_mentors", {"mentors": []}, "appointment_of_mentors.mentors"),
    ("appointment_of_mentors", {"mentors": [MENTOR]}, "appointment_of_mentors.mentors[0].starts_on"),
    ("appointment_of_mentors", {"mentors": [{"full_name": "  "}], "starts_on": "2024-09-01"},
     "appointment_of_mentors.mentors[0].full_name"),
    ("appointment_of_mentors", {"mentors": [MENTOR], "starts_on": "01.09.2024"}, "appointment_of_mentors.starts_on"),
    ("appointment_of_mentors", {"mentors": [MENTOR], "starts_on": "2024-09-01", "ends_on": "2024-01-01"},
     "appointment_of_mentors.mentors[0].ends_on"),
    ("appointment_of_mentors", {"mentors": [MENTOR], "starts_on": "2024-09-01", "mentor": 1},
     "appointment_of_mentors"),
    ("pair_formation", {"groups": [{"mentor": MENTOR, "mentees": []}]}, "pair_formation.groups[0].mentees"),
    ("pair_formation", {"groups": [PAIR], "starts_on": "2024-09-01"}, "pair_formation.ends_on"),
    ("curator_appointment", {}, "curator_appointment.curator"),
    ("extension", {"program": PAIR}, "extension"),
    ("extension", {"program": PAIR, "new_end_on": "2026-01-01"}, "extension.new_end_on"),
    ("completion", {"program": PAIR, "ground": "boredom", "completed_on": "2025-01-01"}, "completion.ground"),
    ("completion", {"program": PAIR, "ground": "a"}, "completion.completed_on"),
    ("mentor_replacement", {"program": PAIR, "new_mentor": MENTOR, "on": "2025-01-01"}, "mentor_replacement.new_mentor"),
    ("mentor_replacement", {"program": PAIR, "new_mentor": MENTEE2, "on": "2025-01-01", "petition_by": "x"},
     "mentor_replacement.petition_by"),
    ("mentor_release", {"mentor": MENTOR}, "mentor_release.released_on"),
    ("no_such_order", {}, "order_type"),
])
def test_wrong_data_is_refused_naming_the_field(template_id, data, where):
    with pytest.raises(OrderDataError) as caught:
        render_order(template_id, data, regulation="tomsk", settings=TOMSK)
    assert caught.value.where == where
    assert isinstance(caught.value, NastavnikError) and caught.value.message


def test_signed_rendering_needs_all_of_number_date_time_and_signer():
    with pytest.raises(OrderDataError):
        render_order("mentor_release", SAMPLES["mentor_release"], regulation="tomsk", settings=TOMSK, number="1")
    with pytest.raises(OrderDataError):
        render_order("mentor_release", SAMPLES["mentor_release"], regulation="tomsk", settings=TOMSK, number="1",
                     issued_on=date(2024, 1, 1), signed_at=SIGNED_AT)


@pytest.mark.parametrize("mangle", [
    lambda t: t.replace("ПРОЕКТ\n\n", ""),
    lambda t: t.replace(DRAFT_DATE_LINE, "01.01.2024 № 1"),
    lambda t: t.replace(DRAFT_DATE_LINE, DRAFT_DATE_LINE + "\n" + DRAFT_DATE_LINE),
    lambda t: t.replace(SIGNATURE_BLANK, "подпись"),
])
def test_finalizing_a_broken_draft_is_refused(mangle):
    draft = render_order("mentor_release", SAMPLES["mentor_release"], regulation="tomsk", settings=TOMSK)
    with pytest.raises(OrderDataError):
        finalize_order(mangle(draft), number="1", issued_on=date(2024, 2, 20), signatory=HEAD, signed_at=SIGNED_AT,
                       settings=TOMSK)


def test_finalizing_keeps_edits_of_the_draft_and_accepts_crlf():
    draft = render_order("mentor_release", SAMPLES["mentor_release"], regulation="tomsk", settings=TOMSK)
    edited = draft.replace("3. Куратору", "3. Куратору незамедлительно").replace("\n", "\r\n")
    signed = finalize_order(edited, number="1р", issued_on=date(2024, 2, 20), signatory=HEAD, signed_at=SIGNED_AT,
                            settings=TOMSK)
    assert "3. Куратору незамедлительно" in signed and "\r" not in signed
