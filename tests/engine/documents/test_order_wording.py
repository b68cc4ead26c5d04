"""An order's wording comes from the organization's regulation pack: a methodologist edits
rules/<pack>/orders/<kind>.j2, the edited pack is installed, and the next order reads the new wording while the
frame (header, date and number, numbering, signatory, stamp) stays the system's."""
from __future__ import annotations

import dataclasses
import hashlib
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from engine.documents import DocumentSettings, compose_order, normalize_data, render_order
from engine.regulations import PACKS_DIRECTORY, PackError, install_pack, load_pack, pack
from engine.regulations.order_contract import ORDER_KINDS, SETTINGS_KEYS, samples

TOMSK = DocumentSettings(issuer_lines=("ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА ТОМСКА",),
                         time_zone="Asia/Tomsk", place="г. Томск")
HEAD = {"full_name": "Савенков Максим Геннадьевич", "position": "Начальник департамента"}
RELEASE = {"mentor": {"full_name": "Петров Пётр Петрович", "position": "директор"}, "released_on": "2025-01-10"}


@pytest.fixture
def installed():
    """Install packs for one test; the packs they replace are installed back afterwards."""
    replaced = {}

    def install(regulation):
        replaced.setdefault(regulation.id, pack(regulation.id))
        install_pack(regulation)

    yield install
    for original in replaced.values():
        install_pack(original)


def _edited_copy(tmp_path: Path, kind: str, edit) -> Path:
    folder = tmp_path / "tomsk"
    shutil.copytree(PACKS_DIRECTORY / "tomsk", folder)
    template = folder / "orders" / f"{kind}.j2"
    template.write_text(edit(template.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def test_an_edited_template_in_an_installed_pack_words_the_next_order(tmp_path, installed):
    before = compose_order("mentor_release", RELEASE, regulation="tomsk", settings=TOMSK)
    assert "1. Освободить от обязанностей наставника с 10.01.2025: Петров Пётр Петрович (директор)." in before.text
    folder = _edited_copy(tmp_path, "mentor_release", lambda text: text.replace(
        "- Освободить от обязанностей наставника с {{ released_on | dmy }}",
        "- Освободить с {{ released_on | long_date }} от обязанностей наставника").replace(
        "{% block title %}Об освобождении от обязанностей наставника{% endblock %}",
        "{% block title %}Об освобождении наставника{% endblock %}"))
    edited = load_pack(folder)
    installed(edited)

    after = compose_order("mentor_release", RELEASE, regulation="tomsk", settings=TOMSK)
    assert "1. Освободить с 10 января 2025 г. от обязанностей наставника: Петров Пётр Петрович (директор)." in after.text
    assert after.subject == "Об освобождении наставника" and after.text.split("\n")[9] == after.subject
    assert after.text.split("\n")[:9] == before.text.split("\n")[:9]  # the frame is the system's
    assert after.template_sha256 == hashlib.sha256(
        (folder / "orders" / "mentor_release.j2").read_bytes()).hexdigest() != before.template_sha256
    assert (after.regulation, after.pack_version) == ("tomsk", "1")


def test_the_pack_words_the_order_and_the_order_tells_which_template(installed):
    composed = compose_order("mentor_release", RELEASE, regulation="tomsk", settings=TOMSK)
    regulation = pack("tomsk")
    assert composed.text == render_order("mentor_release", RELEASE, regulation="tomsk", settings=TOMSK)
    assert (composed.regulation, composed.pack_version, composed.subject) == (
        "tomsk", regulation.version, "Об освобождении от обязанностей наставника")
    assert composed.template_sha256 == hashlib.sha256(
        (PACKS_DIRECTORY / "tomsk" / "orders" / "mentor_release.j2").read_bytes()).hexdigest()


@pytest.mark.parametrize(("control", "last_items"), [
    ("{% block control %}Контроль исполнения {{ settings.kind_genitive }} возложить на заместителя начальника "
     "департамента.{% endblock %}",
     ["2. Куратору внести изменения в банк наставников и наставляемых (п. 3.3 Положения).",
      "3. Контроль исполнения приказа возложить на заместителя начальника департамента."]),
    ("{% block control %}{% endblock %}",
     ["1. Освободить от обязанностей наставника с 10.01.2025: Петров Пётр Петрович (директор).",
      "2. Куратору внести изменения в банк наставников и наставляемых (п. 3.3 Положения)."]),
])
def test_a_pack_may_word_the_control_item_or_leave_it_out(tmp_path, installed, control, last_items):
    installed(load_pack(_edited_copy(tmp_path, "mentor_release", lambda text: text + control + "\n")))
    text = render_order("mentor_release", RELEASE, regulation="tomsk", settings=TOMSK, signatory=HEAD)
    numbered = [line for line in text.split("\n") if line[:1].isdigit()]
    assert numbered[-2:] == last_items
    assert "оставляю за собой" not in text


def test_a_template_failing_at_render_is_named_by_file_and_line(installed):
    """A pack installed without its load check (here: built by hand) still cannot word an order wrongly: the
    failure names the template's file and line."""
    regulation = pack("tomsk")
    broken = "{% block title %}Т{% endblock %}\n{% block preamble %}П{% endblock %}\n{% block items %}\n" \
             "- {{ mentor.persn }}\n{% endblock %}\n"
    installed(dataclasses.replace(regulation, order_templates={**regulation.order_templates,
                                                               "mentor_release": broken}))
    with pytest.raises(PackError) as caught:
        render_order("mentor_release", RELEASE, regulation="tomsk", settings=TOMSK)
    assert str(caught.value.problems[0]) == ("tomsk/orders/mentor_release.j2: строка 4: при заполнении шаблона: "
                                             "нет поля «persn»")


@pytest.mark.parametrize("kind", ORDER_KINDS)
def test_the_samples_of_the_contract_are_what_the_data_checks_produce(kind):
    """The template contract (engine.regulations.order_contract) and the data checks agree: every full sample
    is normalised data already."""
    full = next(samples(kind))
    assert normalize_data(kind, full, regulation="tomsk") == full


def test_the_settings_a_template_sees():
    assert tuple(TOMSK.template_view()) == SETTINGS_KEYS
    assert TOMSK.template_view()["kind_genitive"] == "приказа"


def test_a_signed_order_keeps_the_frame_with_an_edited_template(tmp_path, installed):
    installed(load_pack(_edited_copy(tmp_path, "mentor_release", lambda text: text.replace(
        "на основании заявления наставника", "по заявлению наставника"))))
    signed = render_order("mentor_release", RELEASE, regulation="tomsk", settings=TOMSK, signatory=HEAD,
                          number="5", issued_on=date(2025, 1, 9), signed_at=datetime(2025, 1, 9, 3, tzinfo=UTC))
    assert "(далее – Положение), по заявлению наставника о сложении с него обязанностей наставника, ПРИКАЗЫВАЮ:" \
        in signed
    assert signed.split("\n")[:6] == ["ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА ТОМСКА", "", "ПРИКАЗ", "",
                                      "09.01.2025 № 5", "г. Томск"]
    assert signed.endswith("\n\n2025-01-09T10:00:00+0700 Савенков Максим Геннадьевич Я подтверждаю этот документ\n")
