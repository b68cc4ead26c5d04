"""Order templates in a pack (rules/<pack>/orders/<kind>.j2): a methodologist edits the wording, and a template
that would break an order is refused when the pack loads, named by file and line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from jinja2.exceptions import SecurityError

from engine.regulations import PACKS_DIRECTORY, PackError, load_pack, pack
from engine.regulations.order_contract import ORDER_KINDS, samples
from engine.regulations.order_templates import ENVIRONMENT, render_text

GOOD = """{# a short curator order #}
{% block title %}О назначении куратора{% endblock %}
{% block preamble %}
В соответствии с п. 3.2 {{ act.genitive }},
в целях координации
{% endblock %}
{% block items %}
- Назначить куратором: {{ curator | who }}.
{% endblock %}
"""


def _copy(tmp_path: Path, pack_id: str = "tomsk") -> Path:
    folder = tmp_path / pack_id
    shutil.copytree(PACKS_DIRECTORY / pack_id, folder)
    return folder


def _template(folder: Path, kind: str, text: str) -> None:
    (folder / "orders" / f"{kind}.j2").write_text(text, encoding="utf-8")


def _refusals(folder: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    return [str(problem) for problem in caught.value.problems]


def test_every_shipped_template_renders_every_sample():
    for regulation in (pack("tomsk"), pack("yakutsk")):
        assert sorted(regulation.order_templates) == sorted(o.kind for o in regulation.orders)
        for kind in regulation.order_templates:
            for data in samples(kind):
                text = render_text(regulation, kind, data, {"kind": "ПРИКАЗ", "kind_genitive": "приказа",
                                                            "number_suffix": "", "place": None, "issuer_lines": []})
                assert text.title and text.preamble and text.items


def test_an_edited_template_loads_and_words_the_order(tmp_path):
    folder = _copy(tmp_path)
    _template(folder, "curator_appointment", GOOD)
    regulation = load_pack(folder)
    data = {"curator": {"full_name": "Боровикова Наталья Алексеевна", "position": "главный специалист"}}
    text = render_text(regulation, "curator_appointment", data, {})
    assert text.title == "О назначении куратора"
    assert text.preamble.startswith("В соответствии с п. 3.2 Положения о наставничестве руководителей")
    assert text.preamble.endswith("(далее – Положение), в целях координации")  # lines joined by a space
    assert text.items == (("Назначить куратором: Боровикова Наталья Алексеевна (главный специалист).", ()),)
    assert text.control is None  # the frame writes «Контроль исполнения … оставляю за собой.»


def test_a_template_that_does_not_parse_is_refused_naming_file_and_line(tmp_path):
    folder = _copy(tmp_path)
    broken = GOOD.replace("- Назначить куратором: {{ curator | who }}.",
                          "- Назначить куратором: {{ curator | who }.\n{% for x in y %}")
    _template(folder, "curator_appointment", broken)
    refusals = _refusals(folder)
    assert len(refusals) == 1
    assert refusals[0].startswith("tomsk/orders/curator_appointment.j2: строка 8: шаблон не разбирается: ")


def test_an_unclosed_block_is_named_by_its_line(tmp_path):
    folder = _copy(tmp_path)
    _template(folder, "completion", (PACKS_DIRECTORY / "tomsk" / "orders" / "completion.j2").read_text(
        encoding="utf-8").replace("{% endblock %}", "", 1))
    [refusal] = _refusals(folder)
    assert refusal.startswith("tomsk/orders/completion.j2: строка ")
    assert "шаблон не разбирается" in refusal


def test_an_unknown_name_is_named_with_its_line(tmp_path):
    folder = _copy(tmp_path)
    _template(folder, "curator_appointment", GOOD.replace("{{ curator | who }}", "{{ kurator | who }}"))
    [refusal] = _refusals(folder)
    assert refusal.startswith("tomsk/orders/curator_appointment.j2: строка 8: неизвестное имя «kurator»; "
                              "в шаблоне «curator_appointment» есть: curator, starts_on, basis, act, pack,")


def test_a_misspelt_field_is_found_by_the_sample_render(tmp_path):
    folder = _copy(tmp_path)
    text = (PACKS_DIRECTORY / "tomsk" / "orders" / "appointment_of_mentors.j2").read_text(encoding="utf-8")
    _template(folder, "appointment_of_mentors", text.replace("{{ m.person | who }}", "{{ m.persn | who }}"))
    [refusal] = _refusals(folder)
    line = next(n for n, row in enumerate(text.split("\n"), start=1) if "{{ m.person | who }}" in row)
    assert refusal == (f"tomsk/orders/appointment_of_mentors.j2: строка {line}: при заполнении шаблона: "
                       "нет поля «persn»")


def test_an_optional_date_printed_without_if_is_refused(tmp_path):
    folder = _copy(tmp_path)
    _template(folder, "curator_appointment", GOOD.replace("{{ curator | who }}.",
                                                          "{{ curator | who }} с {{ starts_on | dmy }}."))
    [refusal] = _refusals(folder)
    assert refusal.startswith("tomsk/orders/curator_appointment.j2: строка 8: при заполнении шаблона: "
                              "фильтр dmy: нет даты")


@pytest.mark.parametrize(("trick", "attributes"), [
    ("{{ ''.__class__ }}", ["__class__"]),
    ("{{ curator.__class__.__mro__ }}", ["__mro__", "__class__"]),
    ("{{ curator['__class__'] }}", ["__class__"]),
])
def test_private_attributes_are_refused_when_the_pack_loads(tmp_path, trick, attributes):
    folder = _copy(tmp_path)
    _template(folder, "curator_appointment", GOOD.replace("{{ curator | who }}", trick))
    assert _refusals(folder) == [f"tomsk/orders/curator_appointment.j2: строка 8: обращение к служебному атрибуту "
                                 f"«{attribute}» запрещено" for attribute in attributes]


def test_the_sandbox_refuses_what_the_reading_cannot_see(tmp_path):
    """``attr`` names the attribute in a string and ``append`` would change the data: the sandbox stops both
    at the sample render."""
    folder = _copy(tmp_path)
    _template(folder, "curator_appointment", GOOD.replace("{{ curator | who }}", "{{ curator | attr('__class__') }}"))
    [refusal] = _refusals(folder)
    assert refusal.startswith("tomsk/orders/curator_appointment.j2: строка 8: при заполнении шаблона: ")
    assert "__class__" in refusal
    _template(folder, "curator_appointment", GOOD.replace("{{ curator | who }}", "{{ pack.update(id='x') }}"))
    [refusal] = _refusals(folder)
    assert refusal.startswith("tomsk/orders/curator_appointment.j2: строка 8: при заполнении шаблона: ")
    with pytest.raises(SecurityError):
        ENVIRONMENT.from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}").render()


def test_every_kind_needs_its_template_and_every_template_its_kind(tmp_path):
    folder = _copy(tmp_path)
    (folder / "orders" / "mentor_release.j2").unlink()
    _template(folder, "farewell", GOOD)
    manifest = folder / "pack.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["orders"].append({"kind": "award", "clause": "003 §9.3"})
    last = len(data["orders"]) - 1
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert sorted(_refusals(folder)) == [
        "tomsk/orders/farewell.j2: вида приказа «farewell» нет в pack.yaml (orders:): шаблон лишний",
        "tomsk/pack.yaml: orders[6].kind: нет шаблона приказа orders/mentor_release.j2 в папке положения",
        f"tomsk/pack.yaml: orders[{last}].kind: неизвестный вид приказа «award»; допустимы: {', '.join(ORDER_KINDS)}",
    ]


@pytest.mark.parametrize(("text", "refusal"), [
    (GOOD.replace("{% block title %}О назначении куратора{% endblock %}", ""),
     "tomsk/orders/curator_appointment.j2: нет блока «title» ({% block title %}…{% endblock %})"),
    (GOOD.replace("{% block items %}", "{% block items %}\nПриказываю:"),
     "tomsk/orders/curator_appointment.j2: блок items: текст «Приказываю:» стоит до первого пункта: пункт "
     "начинается с «- », подпункт — с отступа и «- »"),
    (GOOD + "Подпись\n",
     "tomsk/orders/curator_appointment.j2: строка 10: вне блоков допускаются только {% macro %} и {% set %}: "
     "остальное в приказ не попадает"),
    (GOOD + "{% block footer %}x{% endblock %}\n",
     "tomsk/orders/curator_appointment.j2: строка 10: неизвестный блок «footer»; допустимы: title, preamble, "
     "items, control"),
    (GOOD.replace("{% block items %}", "{% block items %}\n{% include 'other.j2' %}"),
     "tomsk/orders/curator_appointment.j2: строка 8: {% include %} не допускается: шаблон приказа самодостаточен"),
    (GOOD.replace("{{ act.genitive }}", "{{ act.genitive | upper_case }}"),
     "tomsk/orders/curator_appointment.j2: строка 4: шаблон не разбирается: No filter named 'upper_case'."),
])
def test_the_block_contract_is_checked(tmp_path, text, refusal):
    folder = _copy(tmp_path)
    _template(folder, "curator_appointment", text)
    assert _refusals(folder) == [refusal]
