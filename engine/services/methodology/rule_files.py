"""Rule files as methodologists edit them: numbered versions in the database, checked before they are
stored (deploying a version and the running registry: ``rule_deployment``).

- The files shipped in ``rules/`` become version 1 (deployed, saved by nobody) the first time anything
  asks: the web app at start (``activate_deployed``) or the rules pages (``list_files``). A shipped file
  whose text is not stored yet (a later release of the software) is added as a draft version to deploy.
- Every decision names the YAML ``version`` of its ruleset, so a stored version must carry a ``version``
  no other stored version of the file has: saving refuses and suggests the next one (nothing is rewritten).
- A file's ruleset ``id`` is fixed by its first version: processes and decisions refer to it.
- Files belong to the regulation named by the last word of their id (``…_tomsk``, ``…_yakutsk``):
  a methodologist works with the files of their organizations' regulations; others get 403.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import distinct, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.db.models import Decision, MentoringGroup, Program, RuleFileVersion
from engine.db.models.rulefiles import VersionStatus
from engine.db.types import utcnow
from engine.errors import NastavnikError, NotFound, RuleFileError
from engine.rules.loader import load_bytes
from engine.rules.model import Ruleset
from engine.rules.problems import RuleProblem
from engine.rules.registry import RULES_DIRECTORY, rule_files
from engine.services.methodology import access
from engine.services.methodology.rule_lines import locate
from engine.services.people.actor import STAFF_ROLES, Actor

SHIPPED_COMMENT = "Поставка: файл rules/{name}"
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Problem:
    """A problem of an edited text, with the line it most likely points at (None: the whole file)."""

    line: int | None
    item: str
    message: str
    text: str  # ``file: ruleset/item: message``

    def as_dict(self) -> dict:
        return {"line": self.line, "item": self.item, "message": self.message, "text": self.text}

    def __str__(self) -> str:
        return self.text


@dataclass
class VersionInfo:
    row: RuleFileVersion
    ruleset_version: str | None  # the YAML ``version``: what decisions record
    decisions: int = 0
    programs: int = 0
    people: int = 0

    @property
    def deployed(self) -> bool:
        return self.row.status == VersionStatus.DEPLOYED.value


@dataclass
class FileInfo:
    file_name: str
    ruleset_id: str
    title: str
    versions: list[VersionInfo]  # newest first
    other_usage: list[tuple[str, int]] = field(default_factory=list)  # decisions of versions not stored

    @property
    def name(self) -> str:
        return Path(self.file_name).stem

    @property
    def deployed(self) -> VersionInfo | None:
        return next((v for v in self.versions if v.deployed), None)

    def version(self, number: int) -> VersionInfo:
        for info in self.versions:
            if info.row.version == number:
                return info
        raise NotFound(f"у файла {self.file_name} нет версии {number}")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_text(text: str) -> str:
    """Browsers send CRLF from a textarea; stored text uses LF so the same file keeps the same digest."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=256)
def _parse(digest: str, text: str, file_name: str) -> tuple[Ruleset | None, tuple[RuleProblem, ...]]:
    ruleset, problems = load_bytes(text.encode("utf-8"), file_name)
    return ruleset, tuple(problems)


def parsed(row: RuleFileVersion) -> Ruleset:
    ruleset, problems = _parse(row.sha256, row.content, row.file_name)
    if ruleset is None:  # stored versions passed the check; a broken one means the rules changed under it
        raise RuleFileError(list(problems), where=row.file_name)
    return ruleset


def _yaml_version(row: RuleFileVersion) -> str | None:
    ruleset, _problems = _parse(row.sha256, row.content, row.file_name)
    return ruleset.version if ruleset else None


# -- the shipped files ----------------------------------------------------------------------------

def ensure_shipped(session: Session, directory: Path = RULES_DIRECTORY) -> int:
    """Store the shipped files not stored yet (see the module's notes); the number of versions added."""
    added = 0
    for path in rule_files([directory]):
        text = normalise_text(path.read_text(encoding="utf-8"))
        digest = sha256(text)
        known = session.scalars(select(RuleFileVersion).where(RuleFileVersion.file_name == path.name)).all()
        if any(row.sha256 == digest for row in known):
            continue
        first = not known
        row = RuleFileVersion(
            file_name=path.name, version=max((r.version for r in known), default=0) + 1, content=text,
            sha256=digest, comment=SHIPPED_COMMENT.format(name=path.name),
            status=(VersionStatus.DEPLOYED if first else VersionStatus.DRAFT).value,
            deployed_at=utcnow() if first else None)
        try:
            with session.begin_nested():  # another process may be importing the same file right now
                session.add(row)
        except IntegrityError:
            continue
        added += 1
    return added


# -- listing --------------------------------------------------------------------------------------

def versions_by_file(session: Session, file_name: str | None = None) -> dict[str, list[RuleFileVersion]]:
    stmt = select(RuleFileVersion).order_by(RuleFileVersion.file_name, RuleFileVersion.version.desc())
    if file_name is not None:
        stmt = stmt.where(RuleFileVersion.file_name == file_name)
    grouped: dict[str, list[RuleFileVersion]] = {}
    for row in session.scalars(stmt):
        grouped.setdefault(row.file_name, []).append(row)
    return grouped


def _usage(session: Session, ruleset_ids: list[str]) -> dict[tuple[str, str], tuple[int, int, int]]:
    rows = session.execute(
        select(Decision.ruleset_id, Decision.ruleset_version, func.count(Decision.id),
               func.count(distinct(Decision.program_id)), func.count(distinct(Decision.person_id)))
        .where(Decision.ruleset_id.in_(ruleset_ids))
        .group_by(Decision.ruleset_id, Decision.ruleset_version)).all()
    return {(rid, version): (n, programs, people) for rid, version, n, programs, people in rows}


def _file_info(file_name: str, rows: list[RuleFileVersion], usage: dict) -> FileInfo:
    first = parsed(rows[-1])
    latest_valid = next((r for r in rows if _parse(r.sha256, r.content, r.file_name)[0] is not None), rows[-1])
    versions = []
    for row in rows:
        yaml_version = _yaml_version(row)
        counts = usage.get((first.id, yaml_version), (0, 0, 0)) if yaml_version is not None else (0, 0, 0)
        versions.append(VersionInfo(row, yaml_version, *counts))
    stored = {v.ruleset_version for v in versions}
    other = sorted((version, counts[0]) for (rid, version), counts in usage.items()
                   if rid == first.id and version not in stored)
    return FileInfo(file_name, first.id, parsed(latest_valid).title, versions, other)


def list_files(session: Session, actor: Actor) -> list[FileInfo]:
    """The rule files the actor may work with, each with its versions and decisions per version."""
    ensure_shipped(session)
    regulations = access.bound_packs(session, actor)
    grouped = versions_by_file(session)
    ids = {name: parsed(rows[-1]).id for name, rows in grouped.items()}
    usage = _usage(session, list(ids.values()))
    return [_file_info(name, rows, usage) for name, rows in grouped.items()
            if access.may_use_ruleset(ids[name], regulations, actor)]


def _file_name(session: Session, name: str) -> str:
    for candidate in (name, f"{name}.yaml", f"{name}.yml"):
        if session.scalar(select(RuleFileVersion.id).where(RuleFileVersion.file_name == candidate).limit(1)):
            return candidate
    raise NotFound(f"нет файла правил «{name}»")


def get_file(session: Session, actor: Actor, name: str) -> FileInfo:
    """One file (by name, with or without .yaml) with its versions; NotFound / PermissionDenied."""
    ensure_shipped(session)
    file_name = _file_name(session, name)
    rows = versions_by_file(session, file_name)[file_name]
    ruleset_id = parsed(rows[-1]).id
    if not access.may_use_ruleset(ruleset_id, access.bound_packs(session, actor), actor):
        raise access.rule_file_denied(actor, file_name)
    return _file_info(file_name, rows, _usage(session, [ruleset_id]))


def programs_using(session: Session, actor: Actor, info: FileInfo, version: VersionInfo,
                   limit: int = 50) -> list[int]:
    """Ids of programs (of the actor's organizations) with a decision of this version."""
    if version.ruleset_version is None:
        return []
    organizations = {org for org, role in actor.roles if role in STAFF_ROLES}
    return list(session.scalars(
        select(Decision.program_id).distinct().join(Program, Program.id == Decision.program_id)
        .join(MentoringGroup, MentoringGroup.id == Program.group_id)
        .where(Decision.ruleset_id == info.ruleset_id, Decision.ruleset_version == version.ruleset_version,
               MentoringGroup.organization_id.in_(organizations))
        .order_by(Decision.program_id).limit(limit)))


# -- checking and saving --------------------------------------------------------------------------

def check_text(session: Session, actor: Actor, name: str, text: str) -> list[Problem]:
    """Every problem of an edited text of the file: the project's validator, then the rules of versions."""
    info = get_file(session, actor, name)
    return edit_problems(info, normalise_text(text))


def edit_problems(info: FileInfo, text: str) -> list[Problem]:
    ruleset, found = load_bytes(text.encode("utf-8"), info.file_name)
    problems = [RuleProblem(p.file, p.ruleset, p.item, p.message) for p in found]
    if ruleset is not None:
        if ruleset.id != info.ruleset_id:
            problems.append(RuleProblem(info.file_name, ruleset.id, "id",
                                        f"id набора правил менять нельзя: процессы и решения ссылаются на "
                                        f"«{info.ruleset_id}»"))
        clash = next((v for v in info.versions
                      if v.ruleset_version == ruleset.version and v.row.sha256 != sha256(text)), None)
        if clash is not None:
            problems.append(RuleProblem(
                info.file_name, ruleset.id, "version",
                f"поле version: «{ruleset.version}» уже носит версия {clash.row.version} этого файла с другим "
                f"содержимым — укажите новое значение, например version: \"{_next_version(info)}\", "
                "чтобы решения различали редакции"))
    return [Problem(locate(text, p), p.item, p.message, str(p)) for p in problems]


def _next_version(info: FileInfo) -> str:
    numbers = [int(version) for v in info.versions if (version := v.ruleset_version or "").isdigit()]
    return str(max(numbers, default=0) + 1)


def save_version(session: Session, actor: Actor, name: str, text: str, comment: str | None) -> RuleFileVersion:
    """Store the text as the file's next version (a draft) if it passes every check; else RuleFileError
    with the problems (``Problem``: with lines)."""
    info = get_file(session, actor, name)
    text = normalise_text(text)
    comment = (comment or "").strip() or None
    if comment and len(comment) > MAX_COMMENT:
        raise NastavnikError(f"комментарий длиннее {MAX_COMMENT} знаков", where="comment")
    same = next((v for v in info.versions if v.row.sha256 == sha256(text)), None)
    if same is not None:
        raise NastavnikError(f"такой текст уже сохранён как версия {same.row.version}: изменений нет",
                             where="content")
    problems = edit_problems(info, text)
    if problems:
        raise RuleFileError(problems, where=info.file_name)
    row = RuleFileVersion(file_name=info.file_name, version=max(v.row.version for v in info.versions) + 1,
                          content=text, sha256=sha256(text), status=VersionStatus.DRAFT.value, comment=comment,
                          saved_by_id=actor.person_id)
    session.add(row)
    session.flush()
    return row


def check_adoption(session: Session, file_name: str, text: str) -> list[Problem]:
    """Every problem of a pack folder's rule file (``nastavnik packs deploy``): the checks of an edit for a
    stored file, the validator alone for a new one."""
    text = normalise_text(text)
    rows = versions_by_file(session, file_name).get(file_name, [])
    if rows:
        return edit_problems(_file_info(file_name, rows, {}), text)
    _ruleset, found = load_bytes(text.encode("utf-8"), file_name)
    return [Problem(locate(text, p), p.item, p.message, str(p)) for p in found]
