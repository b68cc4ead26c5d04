"""Order templates of a pack: ``rules/<pack>/orders/<kind>.j2`` (Jinja), the wording of each kind of order the
pack lists in ``pack.yaml`` (``orders:``). docs/order-templates.md is the methodologist's guide.

The contract: a template defines the blocks

* ``title`` — the order's subject line («О назначении наставников»);
* ``preamble`` — «В соответствии с …, в целях …» without the closing words: the frame adds «, ПРИКАЗЫВАЮ:»
  to a приказ and «:» to a распоряжение;
* ``items`` — the numbered items: a line starting with «- » opens an item, an indented «- » a sub-item of the
  item above; any other line continues the item (or sub-item) above after a space. The frame numbers them
  («1.», «1.1.»);
* ``control`` (optional) — the last item; without the block the frame writes «Контроль исполнения приказа
  оставляю за собой.»; an empty block leaves the item out.

In ``title`` and ``preamble`` lines are joined by spaces too, so long sentences may be wrapped; spaces in a row
are one. Jinja runs with ``trim_blocks`` and ``lstrip_blocks``: a line holding only a tag leaves nothing, and
the line break right after a tag is dropped (so a line ending in ``{% endif %}`` runs on into the next). Outside the
blocks only ``{% macro %}`` and ``{% set %}`` may stand (shared by the blocks). What a template sees is
``engine.regulations.order_contract``; the filters are ``engine.regulations.template_filters``. The header, the
date and number, the «Основание» line, the signatory and the signature stamp are not the template's: the
frame (``engine.documents.orders``) writes them, so an edited template cannot break them.

Templates run in Jinja's immutable sandbox (no ``__class__`` tricks, no changing the data), with
``StrictUndefined`` (a misspelt name is an error, never an empty string) and without HTML escaping.
"""
from __future__ import annotations

import hashlib
import re
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from engine.domain_time import academic_year_start
from engine.regulations.order_contract import (
    CONTEXT_NAMES,
    ORDER_DATA,
    ORDER_KINDS,
    SAMPLE_SETTINGS,
    data_names,
    samples,
    shape_of,
    view,
)
from engine.regulations.pack import RegulationPack
from engine.regulations.problems import PackError, PackProblem
from engine.regulations.template_filters import FILTERS, day

REQUIRED_BLOCKS = ("title", "preamble", "items")
OPTIONAL_BLOCKS = ("control",)
_TOP_LEVEL = (nodes.Block, nodes.Macro, nodes.Assign, nodes.AssignBlock)
_FORBIDDEN = {nodes.Extends: "extends", nodes.Include: "include", nodes.Import: "import",
              nodes.FromImport: "from … import"}

ENVIRONMENT = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                                            lstrip_blocks=True, keep_trailing_newline=False)
ENVIRONMENT.filters.update(FILTERS)


@dataclass(frozen=True)
class OrderText:
    """The wording a template gave: the frame lays it out."""

    title: str
    preamble: str
    items: tuple[tuple[str, tuple[str, ...]], ...]  # (item, its sub-items)
    control: str | None  # None: no ``control`` block (the frame's sentence); "": no control item


def template_file(pack_id: str, kind: str) -> str:
    return f"{pack_id}/orders/{kind}.j2"


def template_sha256(text: str) -> str:
    """SHA-256 (hex) of a template's text as the pack holds it (what an order records as its source)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _problem(file: str, line: int | None, message: str) -> PackProblem:
    return PackProblem(file, f"строка {line}" if line else "", message)


@lru_cache(maxsize=256)
def compiled_template(file: str, text: str) -> Template:
    code = ENVIRONMENT.compile(text, name=file, filename=file)
    return ENVIRONMENT.template_class.from_code(ENVIRONMENT, code, ENVIRONMENT.make_globals(None), None)


def _syntax_problem(file: str, err: TemplateSyntaxError) -> PackProblem:
    return _problem(file, err.lineno, f"шаблон не разбирается: {err.message}")


# --- the check of a pack's templates -------------------------------------------------------------------------


def template_problems(pack_id: str, orders: Sequence[tuple[str, str]],
                      templates: Mapping[str, str]) -> list[PackProblem]:
    """What is wrong with a pack's templates, read without data: ``orders`` is (field, kind) of each entry of
    ``pack.yaml`` ``orders:``. Every listed kind needs its template and every template a listed kind; each
    template must parse, define the blocks, use only the names of its kind and leave private attributes alone."""
    problems: list[PackProblem] = []
    listed = set()
    for field, kind in orders:
        listed.add(kind)
        if kind not in ORDER_DATA:
            problems.append(PackProblem(f"{pack_id}/pack.yaml", field,
                                        f"неизвестный вид приказа «{kind}»; допустимы: {', '.join(ORDER_KINDS)}"))
        elif kind not in templates:
            problems.append(PackProblem(f"{pack_id}/pack.yaml", field,
                                        f"нет шаблона приказа orders/{kind}.j2 в папке положения"))
    for kind, text in sorted(templates.items()):
        file = template_file(pack_id, kind)
        if kind not in listed:
            problems.append(_problem(file, None, f"вида приказа «{kind}» нет в pack.yaml (orders:): шаблон лишний"))
            continue
        if kind in ORDER_DATA:
            problems += _source_problems(file, kind, text)
    return problems


def _source_problems(file: str, kind: str, text: str) -> list[PackProblem]:
    try:
        tree = ENVIRONMENT.parse(text, name=file, filename=file)
        compiled_template(file, text)  # unknown filters and tests are found when compiling
    except TemplateSyntaxError as err:
        return [_syntax_problem(file, err)]
    defined, problems = _top_level(file, tree)
    problems += _block_problems(file, tree)
    for node_type, tag in _FORBIDDEN.items():
        problems += [_problem(file, node.lineno, f"{{% {tag} %}} не допускается: шаблон приказа самодостаточен")
                     for node in tree.find_all(node_type)]
    problems += private_access(file, tree)
    allowed = set(data_names(kind)) | set(CONTEXT_NAMES) | set(ENVIRONMENT.globals) | defined
    for name in sorted(meta.find_undeclared_variables(tree) - allowed):
        line = next((n.lineno for n in tree.find_all(nodes.Name) if n.name == name and n.ctx == "load"), None)
        problems.append(_problem(file, line, f"неизвестное имя «{name}»; в шаблоне «{kind}» есть: "
                                 f"{', '.join(data_names(kind) + CONTEXT_NAMES)}"))
    return problems


def _top_level(file: str, tree: nodes.Template) -> tuple[set[str], list[PackProblem]]:
    """The names the top level defines ({% macro %}, {% set %}) and what stands there but should not."""
    defined: set[str] = set()
    problems: list[PackProblem] = []
    for node in tree.body:
        if isinstance(node, nodes.Macro):
            defined.add(node.name)
        elif isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            targets = [node.target, *node.target.find_all(nodes.Name)]
            defined.update(target.name for target in targets if isinstance(target, nodes.Name))
        elif not isinstance(node, _TOP_LEVEL) and not _blank(node):
            problems.append(_problem(file, node.lineno, "вне блоков допускаются только {% macro %} и {% set %}: "
                                     "остальное в приказ не попадает"))
    return defined, problems


def _block_problems(file: str, tree: nodes.Template) -> list[PackProblem]:
    problems: list[PackProblem] = []
    blocks = list(tree.find_all(nodes.Block))
    for block in blocks:
        if block not in tree.body:
            problems.append(_problem(file, block.lineno, f"блок «{block.name}» вложен в другой: блоки пишутся "
                                     "на верхнем уровне шаблона"))
        if block.name not in REQUIRED_BLOCKS + OPTIONAL_BLOCKS:
            problems.append(_problem(file, block.lineno, f"неизвестный блок «{block.name}»; допустимы: "
                                     f"{', '.join(REQUIRED_BLOCKS + OPTIONAL_BLOCKS)}"))
    names = {block.name for block in blocks}
    problems += [_problem(file, None, f"нет блока «{name}» ({{% block {name} %}}…{{% endblock %}})")
                 for name in REQUIRED_BLOCKS if name not in names]
    return problems


def _blank(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Output) and all(
        isinstance(part, nodes.TemplateData) and not part.data.strip() for part in node.nodes)


def private_access(file: str, tree: nodes.Template) -> list[PackProblem]:
    found = [(node.lineno, node.attr) for node in tree.find_all(nodes.Getattr) if node.attr.startswith("_")]
    found += [(node.lineno, node.arg.value) for node in tree.find_all(nodes.Getitem)
              if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str)
              and node.arg.value.startswith("_")]
    return [_problem(file, line, f"обращение к служебному атрибуту «{attr}» запрещено") for line, attr in found]


def sample_problems(regulation: RegulationPack) -> list[PackProblem]:
    """Each template of the pack rendered with every sample of its kind (``order_contract.samples``) under a
    приказ and a распоряжение: the first failure of each template, named by file and line."""
    problems: list[PackProblem] = []
    for kind in sorted(set(regulation.order_templates) & set(ORDER_DATA)):
        try:
            for data in samples(kind):
                for settings in SAMPLE_SETTINGS:
                    render_text(regulation, kind, data, settings)
        except PackError as err:
            problems += err.problems
    return problems


# --- rendering -----------------------------------------------------------------------------------------------


def context(regulation: RegulationPack, kind: str, data: Mapping[str, Any],
            settings: Mapping[str, Any]) -> dict[str, Any]:
    """The names a template of ``kind`` sees (docs/order-templates.md)."""
    term, months = regulation.mentor_term, regulation.program_term_months

    def is_standard_term(starts_on: Any, ends_on: Any) -> bool:
        return term.is_standard(day(starts_on, "is_standard_term"), day(ends_on, "is_standard_term"))

    def is_program_term(starts_on: Any, ends_on: Any) -> bool:
        return months is not None and regulation.program_term_ends_on(day(starts_on, "is_program_term")) == day(
            ends_on, "is_program_term")

    def academic_year(on: Any) -> str:
        first = academic_year_start(day(on, "academic_year"))
        return f"{first}/{first + 1}"

    return {
        **view(data, shape_of(kind)),
        "act": {"name": regulation.act.name, "genitive": regulation.act.genitive,
                "instrumental": regulation.act.instrumental},
        "pack": {"id": regulation.id, "title": regulation.title, "seed": regulation.seed,
                 "version": regulation.version, "program_term_months": months},
        "settings": dict(settings),
        "is_standard_term": is_standard_term, "is_program_term": is_program_term, "academic_year": academic_year,
    }


def render_text(regulation: RegulationPack, kind: str, data: Mapping[str, Any],
                settings: Mapping[str, Any]) -> OrderText:
    """The wording of an order of ``kind`` by the pack's template, from normalised ``data`` and the
    organization's ``settings`` (``order_contract.SETTINGS_KEYS``). ``PackError`` names the template's file and
    line when it fails."""
    file = template_file(regulation.id, kind)
    text = regulation.order_templates.get(kind)
    if text is None:
        raise PackError([_problem(file, None, "шаблона нет в пакете положения")], where=file)
    try:
        template = compiled_template(file, text)
    except TemplateSyntaxError as err:
        raise PackError([_syntax_problem(file, err)], where=file) from None
    ctx = template.new_context(context(regulation, kind, data, settings))
    try:
        for _ in template.root_render_func(ctx):  # runs the top-level {% set %} and {% macro %} the blocks use
            pass
        blocks = {name: "".join(render(ctx)) for name, render in template.blocks.items()}
    except Exception as exc:  # whatever fails inside the template is the template's problem, named by its line
        raise PackError([runtime_problem(file, template, exc)], where=file) from exc
    return _order_text(file, blocks)


def pack_subject(regulation: RegulationPack, kind: str) -> str | None:
    """The subject line the pack's template of ``kind`` gives its orders (the ``title`` block, rendered with the
    kind's first sample): what a page offering that kind of order calls it in this pack's words («О внедрении
    системы наставничества педагогических работников» in one pack, «О внедрении целевой модели наставничества» in
    another). None when the pack has no template of ``kind``."""
    if kind not in regulation.order_templates or kind not in ORDER_DATA:
        return None
    return render_text(regulation, kind, next(samples(kind)), SAMPLE_SETTINGS[0]).title


_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'$")
_UNSAFE = re.compile(r"^access to attribute '([^']+)' of '([^']+)' object is unsafe")


def runtime_problem(file: str, template: Template, exc: Exception) -> PackProblem:
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == file]
    line = template.get_corresponding_lineno(frames[-1].lineno or 0) if frames else None
    message = getattr(exc, "message", None) or str(exc)
    if found := _UNDEFINED.match(message):
        message = f"неизвестное имя «{found.group(1)}»"
    elif found := _NO_ATTRIBUTE.search(message):
        message = f"нет поля «{found.group(1)}»"
    elif found := _UNSAFE.match(message):
        message = f"обращение к служебному атрибуту «{found.group(1)}» запрещено"
    return _problem(file, line, f"при заполнении шаблона: {message}")


def _joined(text: str) -> str:
    return " ".join(text.split())


def _order_text(file: str, blocks: Mapping[str, str]) -> OrderText:
    title, preamble = _joined(blocks.get("title", "")), _joined(blocks.get("preamble", ""))
    problems = [PackProblem(file, f"блок {name}", "блок пуст") for name, text in (("title", title),
                                                                                 ("preamble", preamble)) if not text]
    items: list[tuple[list[str], list[str]]] = []  # ([text], [sub-items]); a continuation extends the last one
    in_sub_item = False
    for raw in blocks.get("items", "").split("\n"):
        line = " ".join(raw.split())  # spaces in a row are one
        if not line:
            continue
        if raw.startswith("- "):
            items.append(([line[2:].strip()], []))
            in_sub_item = False
        elif line.startswith("- ") and items:
            items[-1][1].append(line[2:].strip())
            in_sub_item = True
        elif not items:
            problems.append(PackProblem(file, "блок items", f"текст «{line[:40]}» стоит до первого пункта: пункт "
                                        "начинается с «- », подпункт — с отступа и «- »"))
            break
        elif in_sub_item:
            items[-1][1][-1] += " " + line
        else:
            items[-1][0][0] += " " + line
    if not items and not problems:
        problems.append(PackProblem(file, "блок items", "нет ни одного пункта (пункт начинается с «- »)"))
    if problems:
        raise PackError(problems, where=file)
    control = _joined(blocks["control"]) if "control" in blocks else None
    return OrderText(title, preamble, tuple((text[0], tuple(subs)) for text, subs in items), control)

