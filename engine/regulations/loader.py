"""Load and check a regulation pack folder: ``pack.yaml``, ``rulesets/*.yaml``, ``roadmaps/*.yaml``,
``orders/*.j2``. Every problem is named by file and field (``tomsk/pack.yaml: mentee_categories[1].roadmap``);
a pack with any problem is refused whole (``PackError``)."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from engine.regulations.council_bodies import SAMPLE_PROTOCOL, council_bodies, protocol_problems
from engine.regulations.duties import DUTY_HOLDERS, FEATURES
from engine.regulations.incentives import incentive_kinds
from engine.regulations.individual_plans import individual_plans
from engine.regulations.manifest import IDENTIFIER, Manifest
from engine.regulations.order_templates import sample_problems, template_problems
from engine.regulations.organization_parts import kinds_in, organization_kinds, organization_roadmap
from engine.regulations.pack import (
    CALENDAR_TASKS,
    DECIDERS,
    INDICATOR_KINDS,
    INDICATOR_STAGES,
    PETITION_CONTENT,
    PETITION_KINDS,
    PROCESS_PURPOSES,
    REPORTERS,
    ROLE_IDS,
    RULESET_PURPOSES,
    TERM_ENDS,
    RegulationPack,
)
from engine.regulations.pack_files import (
    MANIFEST,
    order_templates_in,
    read_yaml,
    roadmaps_in,
    rulesets_in,
    stray_files,
)
from engine.regulations.pack_parts import (
    Act,
    Cited,
    Duty,
    MenteeCategory,
    MentorshipFormSpec,
    MentorTerm,
    OrderKindSpec,
    Petition,
    ReportDate,
    ReportIndicator,
)
from engine.regulations.problems import PackError, PackProblem
from engine.vocabulary import ORGANIZATION_KIND_LABELS

__all__ = ["MANIFEST", "PackError", "PackProblem", "load_pack", "load_pack_files", "pack_digest", "read_folder"]
_MONTH_DAY = re.compile(r"(\d\d)-(\d\d)")
_TOP_KEYS = {"id", "version", "title", "seed", "seed_file", "act", "notes", "organization_kinds", "documents",
             "roles", "rulesets", "processes", "mentee_categories", "mentorship_forms", "program", "mentor_term",
             "report_calendar", "petitions", "orders", "organization_roadmaps", "work_forms",
             "duties", "report_indicators", "council", "incentives", "individual_plans", "council_bodies"}


def _form_categories(m: Manifest, category_ids: set[str], at: str, entry: dict) -> tuple[str, ...]:
    """``mentorship_forms[].mentee_categories``: the categories a form is the model for (003 §2.4), ids of the
    pack's ``mentee_categories``; absent: a form for every category."""
    value = entry.get("mentee_categories")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        m.fail(f"{at}mentee_categories", "ожидается список категорий наставляемых (id из mentee_categories)")
        return ()
    for unknown in [c for c in value if c not in category_ids]:
        m.fail(f"{at}mentee_categories", f"категории «{unknown}» нет в mentee_categories положения")
    return tuple(c for c in value if c in category_ids)


def pack_digest(files: Mapping[str, bytes]) -> str:
    """SHA-256 over the pack's files (relative path and content), the same for a folder and its stored copy."""
    sha = hashlib.sha256()
    for relative in sorted(files):
        sha.update(relative.encode() + b"\0" + files[relative] + b"\0")
    return sha.hexdigest()


def read_folder(directory: str | Path) -> dict[str, bytes]:
    """A pack folder as {relative path: bytes} (what a stored pack version holds)."""
    directory = Path(directory)
    return {path.relative_to(directory).as_posix(): path.read_bytes()
            for path in sorted(directory.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith(".")}


def load_pack(directory: str | Path, *, known_rulesets: set[str] | None = None,
              known_processes: set[str] | None = None) -> RegulationPack:
    """The pack in ``directory``; ``PackError`` lists every problem. ``known_rulesets``: ruleset ids the
    pack's own rulesets/ folder does not hold but the registry runs; ``known_processes``: BPMN process ids."""
    directory = Path(directory)
    return load_pack_files(directory.name, read_folder(directory), known_rulesets=known_rulesets,
                           known_processes=known_processes)


def load_pack_files(name: str, files: Mapping[str, bytes], *, known_rulesets: set[str] | None = None,
                    known_processes: set[str] | None = None) -> RegulationPack:
    """The pack ``name`` from its files ({"pack.yaml": …, "rulesets/x.yaml": …, "roadmaps/y.yaml": …,
    "orders/z.j2": …}); ``PackError`` lists every problem by file and field."""
    file = f"{name}/{MANIFEST}"
    problems: list[PackProblem] = []
    raw = read_yaml(files[MANIFEST], problems, file) if MANIFEST in files else None
    if MANIFEST not in files:
        problems.append(PackProblem(file, "", "в папке положения нет файла pack.yaml"))
    problems.extend(stray_files(name, files))
    if not isinstance(raw, dict):
        if not problems:
            problems.append(PackProblem(file, "", "ожидается словарь (ключ: значение)"))
        raise PackError(problems, where=file)
    seed = str(raw.get("seed") or "").strip()
    m = Manifest(file, raw, seed)
    pack_id = _head(m, name)

    rule_files, rule_ids = rulesets_in(files, name, problems)
    roadmaps = roadmaps_in(files, name, problems)
    order_templates = order_templates_in(files, name, problems)
    protocol_templates = order_templates_in(files, name, problems, "protocols")
    act = m.mapping("act")
    for key in ("name", "genitive", "instrumental"):
        m.text(act, key, "act.")
    documents = m.mapping("documents", required=False)
    rulesets, processes = _purposes(m, rule_ids | (known_rulesets or set()), known_processes)

    def roadmap_of(at: str, entry: dict) -> str | None:
        roadmap_id = m.text(entry, "roadmap", at, required=False)
        if roadmap_id and roadmap_id not in roadmaps:
            m.fail(f"{at}roadmap", f"дорожной карты «{roadmap_id}» нет в папке roadmaps/ положения")
        return roadmap_id

    kinds = organization_kinds(m)
    kinds_of = partial(kinds_in, m, kinds)
    categories = m.cited("mentee_categories", MenteeCategory, roadmap=roadmap_of, organization_kinds=kinds_of)
    forms = m.cited("mentorship_forms", MentorshipFormSpec, organization_kinds=kinds_of,
                    mentor=lambda at, e: m.kind(e, "mentor", at), mentee=lambda at, e: m.kind(e, "mentee", at),
                    mentee_categories=partial(_form_categories, m, {c.id for c in categories}))
    organization_roadmaps = [organization_roadmap(m, at, entry, roadmaps, kinds)
                             for at, entry in m.entries("organization_roadmaps")]
    work_forms = m.cited("work_forms")
    incentives = incentive_kinds(m)
    plans = individual_plans(m)
    indicators = report_indicators(m)
    council = m.mapping("council", required=False)
    retention = _retention_months(m, council)
    roles = _roles(m)
    term = _mentor_term(m)
    program = m.mapping("program", required=False)
    program_months = _program_months(m, program)
    program_end = _program_end(m, program, program_months)
    program_limits = _program_limits(m, program, program_months)
    calendar = [_report_date(m, at, entry) for at, entry in m.entries("report_calendar")]
    petitions = [_petition(m, at, entry) for at, entry in m.entries("petitions")]
    orders = [OrderKindSpec(kind=m.text(entry, "kind", at) or "", clause=m.clause(entry, at))
              for at, entry in m.entries("orders")]
    duties = [_duty(m, at, entry) for at, entry in m.entries("duties")]
    bodies = council_bodies(m, council, retention, {spec.kind for spec in orders}, protocol_templates)
    problems += template_problems(name, [(f"orders[{i}].kind", spec.kind) for i, spec in enumerate(orders)
                                         if spec.kind], order_templates)
    problems += [PackProblem(f"{name}/roadmaps/{roadmap.id}.yaml", "mentee_category",
                             f"категории «{roadmap.mentee_category}» нет в pack.yaml")
                 for roadmap in roadmaps.values()
                 if roadmap.mentee_category and roadmap.mentee_category not in {c.id for c in categories}]
    problems += [PackProblem(f"{name}/roadmaps/{roadmap.id}.yaml", "stages",
                             f"этапы дорожной карты — {roadmap.total_planned_months} мес., дольше срока программы "
                             f"({program_months} мес., pack.yaml: program.term_months): план этапов укладывается в срок")
                 for roadmap in roadmaps.values()
                 if program_months and (roadmap.total_planned_months or 0) > program_months]
    problems[:0] = m.problems
    if problems:
        raise PackError(problems, where=file)
    regulation = RegulationPack(
        id=pack_id, version=str(raw["version"]), title=str(raw["title"]), seed=seed,
        seed_file=str(raw["seed_file"]),
        act=Act(name=str(act["name"]), genitive=str(act["genitive"]), instrumental=str(act["instrumental"])),
        digest=pack_digest(files), rulesets=rulesets, processes=processes, mentee_categories=tuple(categories),
        mentorship_forms=tuple(forms), roles=roles, mentor_term=term, program_term_months=program_months,
        program_term_clause=program.get("clause"), program_term_choice=program.get("choice"),
        report_calendar=tuple(calendar), petitions=tuple(petitions), duties=tuple(duties),
        orders=tuple(orders), document_defaults={str(k): str(v) for k, v in documents.items()},
        roadmaps=roadmaps, rule_files=tuple(rule_files), order_templates=order_templates,
        files=dict(files), organization_kinds=kinds, organization_roadmaps=tuple(organization_roadmaps),
        work_forms=tuple(work_forms), program_term_end=program_end, report_indicators=tuple(indicators),
        council_retention_months=next((b.retention_months for b in bodies if b.id == "mentors_council"), retention),
        council_bodies=bodies,
        program_term_limits=program_limits,
        incentives=incentives, individual_plans=plans)
    rendered = sample_problems(regulation)  # every template filled with sample data: misspelt fields, bad filters
    rendered += protocol_problems(regulation.id, bodies, SAMPLE_PROTOCOL)
    if rendered:
        raise PackError(rendered, where=file)
    return regulation


def _head(m: Manifest, name: str) -> str:
    raw = m.data
    for key in sorted(set(raw) - _TOP_KEYS):
        m.fail(key, f"неизвестный раздел «{key}»; допустимы: {', '.join(sorted(_TOP_KEYS))}")
    pack_id = m.text(raw, "id", "") or ""
    if pack_id and pack_id != name:
        m.fail("id", f"id «{pack_id}» не совпадает с именем папки «{name}»")
    if pack_id and not IDENTIFIER.fullmatch(pack_id):
        m.fail("id", "идентификатор: строчные латинские буквы, цифры и _")
    for key in ("version", "title", "seed_file"):
        m.text(raw, key, "")
    if not re.fullmatch(r"\d{3}", m.seed):
        m.fail("seed", "номер положения — три цифры в кавычках, например \"003\"")
    return pack_id


def _purposes(m: Manifest, rule_ids: set[str],
              known_processes: set[str] | None) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    rulesets = {purpose: str(value) for purpose, value in m.mapping("rulesets").items()}
    for purpose, ruleset_id in rulesets.items():
        if purpose not in RULESET_PURPOSES:
            m.fail(f"rulesets.{purpose}", f"неизвестное назначение; допустимы: {', '.join(RULESET_PURPOSES)}")
        elif ruleset_id not in rule_ids:
            m.fail(f"rulesets.{purpose}", f"набора правил «{ruleset_id}» нет в папке rulesets/ положения")
    processes = {purpose: _processes_of(m, purpose, value, known_processes)
                 for purpose, value in m.mapping("processes").items()}
    for purpose in ("mentor_appointment", "program"):
        if purpose not in processes:
            m.fail(f"processes.{purpose}", "отсутствует обязательное поле")
    return rulesets, processes


def _processes_of(m: Manifest, purpose: str, value: Any, known_processes: set[str] | None) -> dict[str, str]:
    """One process for every organization of the pack, or one per kind: {default: …, department: …} (004: the
    department groups trainees by direction, III.4, while its schools form pairs, прил. 2 п. 5.1)."""
    by_kind = {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {"default": str(value)}
    if purpose not in PROCESS_PURPOSES:
        m.fail(f"processes.{purpose}", f"неизвестное назначение; допустимы: {', '.join(PROCESS_PURPOSES)}")
    for kind, process_id in by_kind.items():
        at = f"processes.{purpose}.{kind}" if isinstance(value, dict) else f"processes.{purpose}"
        if kind != "default" and kind not in ORGANIZATION_KIND_LABELS:
            m.fail(at, f"неизвестный вид организации; допустимы: default, {', '.join(ORGANIZATION_KIND_LABELS)}")
        elif known_processes is not None and process_id not in known_processes:
            m.fail(at, f"процесса «{process_id}» нет среди процессов workflows/")
    return by_kind


def _roles(m: Manifest) -> dict[str, Cited]:
    roles: dict[str, Cited] = {}
    for role, entry in m.mapping("roles").items():
        if role not in ROLE_IDS:
            m.fail(f"roles.{role}", f"неизвестная роль; допустимы: {', '.join(ROLE_IDS)}")
        roles[role] = Cited(id=role, label=m.text(entry, "label", f"roles.{role}.") or "",
                            clause=m.clause(entry, f"roles.{role}."))
    for role in ("curator", "mentor", "mentee"):
        if role not in roles:
            m.fail(f"roles.{role}", "отсутствует обязательное поле")
    return roles


def _program_months(m: Manifest, program: dict[str, Any]) -> int | None:
    if program:
        m.clause(program, "program.")
    months = program.get("term_months")
    if months is not None and (isinstance(months, bool) or not isinstance(months, int) or months <= 0):
        m.fail("program.term_months", "ожидается целое число месяцев больше нуля")
        return None
    return months


def _program_limits(m: Manifest, program: dict[str, Any], months: int | None) -> tuple[int, int] | None:
    """``program.min_months`` / ``max_months``: the bounds the regulation sets on a program's term (002 §1.2: «от 3
    месяцев до 1 года»); the standard ``term_months`` lies within them. Neither given: None."""
    low, high = program.get("min_months"), program.get("max_months")
    if low is None and high is None:
        return None
    bad = [key for key, value in (("min_months", low), ("max_months", high))
           if isinstance(value, bool) or not isinstance(value, int) or value <= 0]
    for key in bad:
        m.fail(f"program.{key}", "ожидается целое число месяцев больше нуля (укажите и min_months, и max_months)")
    if bad or not isinstance(low, int) or not isinstance(high, int):
        return None
    if low > high:
        m.fail("program.min_months", f"наименьший срок ({low} мес.) больше наибольшего ({high} мес.)")
        return None
    if months is not None and not low <= months <= high:
        m.fail("program.term_months", f"срок программы {months} мес. вне пределов положения: от {low} до {high} мес.")
    return (low, high)


def _program_end(m: Manifest, program: dict[str, Any], months: int | None) -> str | None:
    """``program.end: academic_year_end`` — the program lasts the academic year (004 III.2), instead of months."""
    end = program.get("end")
    if end is None:
        return None
    if end != "academic_year_end":
        m.fail("program.end", "допустимо только end: academic_year_end (программа — на учебный год)")
        return None
    if months is not None:
        m.fail("program.end", "укажите либо term_months, либо end: academic_year_end, но не оба")
    return str(end)


def _mentor_term(m: Manifest) -> MentorTerm:
    entry = m.mapping("mentor_term")
    end, months = entry.get("end"), entry.get("months")
    if end not in TERM_ENDS:
        m.fail("mentor_term.end", f"ожидается одно из: {', '.join(TERM_ENDS)}")
        end = "academic_year_end"
    if end == "day_before" and (not isinstance(months, int) or isinstance(months, bool) or months <= 0):
        m.fail("mentor_term.months", "для end: day_before нужен срок в месяцах (целое число больше нуля)")
        months = 12
    return MentorTerm(end=str(end), months=months if end == "day_before" else None,
                      clause=m.clause(entry, "mentor_term."), choice=m.choice(entry, "mentor_term."))


def _retention_months(m: Manifest, council: dict[str, Any]) -> int:
    """``council.protocol_retention_months``: months the council's signed protocols are kept (000 §5.3: a year)."""
    months = council.get("protocol_retention_months", 12)
    if isinstance(months, bool) or not isinstance(months, int) or months <= 0:
        m.fail("council.protocol_retention_months", "ожидается целое число месяцев больше нуля")
        return 12
    return months


def report_indicators(m: Manifest) -> list[ReportIndicator]:
    """``report_indicators``: what the mentor's periodic report gives per program (002 §5), each cited."""
    return m.cited("report_indicators", ReportIndicator, kind=partial(_one_of, m, "kind", INDICATOR_KINDS, "text"),
                   stage=partial(_one_of, m, "stage", INDICATOR_STAGES, "process"))


def _one_of(m: Manifest, key: str, allowed: dict[str, str], default: str, at: str, entry: dict) -> str:
    """``report_indicators[].kind`` / ``.stage``: one of ``allowed`` (absent: ``default``)."""
    value = entry.get(key, default)
    if value not in allowed:
        m.fail(f"{at}{key}", f"«{value}»: ожидается одно из {', '.join(allowed)}")
        return default
    return str(value)


def _report_date(m: Manifest, at: str, entry: dict) -> ReportDate:
    after, day, task, report_by = entry.get("after"), entry.get("day"), entry.get("task"), entry.get("report_by")
    month_day = None
    if after not in (None, "stage"):
        m.fail(f"{at}after", "допустимо только after: stage (отчёт после каждого этапа)")
    if task is not None and (task not in CALENDAR_TASKS or day is None):
        m.fail(f"{at}task", f"задача календаря — одно из {', '.join(CALENDAR_TASKS)}, только с day: \"MM-DD\"")
    if report_by is not None and (report_by not in REPORTERS or day is None or task is not None):
        m.fail(f"{at}report_by", f"кто отчитывается к дате — одно из {', '.join(REPORTERS)}, только с day: "
                                 "\"MM-DD\" и без task")
    if (after is None) == (day is None):
        m.fail(f"{at}day", "укажите либо day: \"MM-DD\" (дата года), либо after: stage")
    if day is not None:
        found = _MONTH_DAY.fullmatch(str(day))
        if not found or not (1 <= int(found.group(1)) <= 12 and 1 <= int(found.group(2)) <= 31):
            m.fail(f"{at}day", f"дата «{day}» не вида \"05-20\" (месяц-день)")
        else:
            month_day = (int(found.group(1)), int(found.group(2)))
    return ReportDate(id=m.text(entry, "id", at) or "", label=m.text(entry, "label", at) or "",
                      clause=m.clause(entry, at), after_stage=after == "stage",
                      month=month_day[0] if month_day else None, day=month_day[1] if month_day else None,
                      task=str(task) if task in CALENDAR_TASKS else None, choice=m.choice(entry, at),
                      report_by=str(report_by) if report_by in REPORTERS and task is None else None)


def _duty(m: Manifest, at: str, entry: dict) -> Duty:
    by, feature = entry.get("by"), entry.get("feature")
    if by not in DUTY_HOLDERS:
        m.fail(f"{at}by", f"чья обязанность: одно из {', '.join(DUTY_HOLDERS)}")
    if feature is not None and feature not in FEATURES:
        m.fail(f"{at}feature", f"«{feature}»: ожидается одно из {', '.join(FEATURES)} или null (вне системы)")
    return Duty(by=str(by), text=m.text(entry, "text", at) or "", clause=m.clause(entry, at),
                feature=str(feature) if feature in FEATURES else None)


def _petition(m: Manifest, at: str, entry: dict) -> Petition:
    kind, decided_by = entry.get("kind"), entry.get("decided_by")
    if kind not in PETITION_KINDS:
        m.fail(f"{at}kind", f"неизвестное ходатайство «{kind}»; допустимы: {', '.join(PETITION_KINDS)}")
    if decided_by not in DECIDERS:
        m.fail(f"{at}decided_by", f"кто решает: одно из {', '.join(DECIDERS)}")
    order = entry.get("order", True)
    if not isinstance(order, bool):
        m.fail(f"{at}order", "ожидается да или нет (true/false)")
    return Petition(kind=str(kind), decided_by=str(decided_by), clause=m.clause(entry, at),
                    grounds=m.text(entry, "grounds", at, required=False), order=order is not False,
                    content=_petition_content(m, at, entry))


def _petition_content(m: Manifest, at: str, entry: dict) -> tuple[str, ...]:
    """``petitions[].content`` of the extension: what it may correct without adding months (003 §7.2)."""
    value = entry.get("content")
    if value is None:
        return ()
    known = ", ".join(PETITION_CONTENT)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        m.fail(f"{at}content", f"ожидается список из: {known}")
        return ()
    if entry.get("kind") != "extension":
        m.fail(f"{at}content", "корректировку содержания без продления срока задаёт только ходатайство extension")
        return ()
    for unknown in [item for item in value if item not in PETITION_CONTENT]:
        m.fail(f"{at}content", f"неизвестное содержание «{unknown}»; допустимо: {known}")
    return tuple(item for item in value if item in PETITION_CONTENT)

