"""Organizations (department and its schools), people and their roles."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base, check_in
from engine.db.types import UTCDateTime, utcnow
from engine.domain_time import full_years
from engine.vocabulary import ParticipantKind

if TYPE_CHECKING:
    from engine.db.models.orders import Order


class OrganizationKind(enum.StrEnum):
    DEPARTMENT = "department"  # департамент / управление образования
    SCHOOL = "school"  # общеобразовательная организация
    KINDERGARTEN = "kindergarten"  # ДОУ (004)
    COLLEGE = "college"  # техникум / колледж (002)
    ADDITIONAL = "additional"  # учреждение дополнительного образования, УДОД (004)
    CENTRE = "centre"  # координационный центр сетевых наставников (004 II.1)


class Role(enum.StrEnum):
    """Roles a person holds in an organization (DOMAIN.md «People and roles»)."""

    CURATOR = "curator"  # Куратор: 001 §4, 002 §4.1.3, 003 §3.3
    METHODOLOGIST = "methodologist"  # Методист: 002 §4.1.4
    HEAD = "head"  # Руководитель / Начальник департамента: 003 §3.2
    MENTOR = "mentor"  # Наставник: 003 §4
    MENTEE = "mentee"  # Наставляемый / Стажёр: 003 §5, 004 IV
    ADMIN = "admin"  # Администратор: the organization tree, people and roles (issue 12; no clause — a product role)


class Organization(Base):
    __tablename__ = "organizations"
    __table_args__ = (
        check_in("kind", OrganizationKind, "kind"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    regulation: Mapped[str] = mapped_column(String(64))  # the regulation pack id (rules/<pack>/pack.yaml)
    name: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str | None] = mapped_column(String(120))
    inn: Mapped[str | None] = mapped_column(String(12))  # ИНН (10 digits for an organization), optional
    ogrn: Mapped[str | None] = mapped_column(String(15))  # ОГРН (13 digits), optional
    # how its orders look, over its pack's defaults (engine.documents.basics.settings_for): kind «ПРИКАЗ» /
    # «РАСПОРЯЖЕНИЕ», number_suffix («р» → «№ 100р»), issuer_lines, time_zone, place
    document_settings: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # the dates its mentors report by, set by its administrator (["06-10", "12-10"], month-day); None — the pack's
    # report_calendar (engine.regulations.report_dates)
    report_dates: Mapped[list[str] | None] = mapped_column(JSON)
    # the days of the curator's calendar tasks set by its administrator ({entry id: "MM-DD"}, only those that differ
    # from the pack's report_calendar; None — the pack's) (engine.regulations.calendar_days)
    calendar_days: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[Organization | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organization]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.short_name or self.name!r}>"


# Attributes the rule files read (DOMAIN.md «Rules»); None means "not known", which rules must treat
# as missing data, not as false/zero.
RULE_FACT_FIELDS: tuple[str, ...] = (
    "years_as_head",  # 003 §3.5 (1): ≥ 5 years as head
    "months_as_head",  # 003 §3.6.1 (2): newly appointed head
    "is_head",
    "contest_level",  # 003 §3.5 (2): 'regional' | 'all_russian' | lower levels
    "contest_result",  # 003 §3.5 (2): 'winner' | 'prize_winner' | 'laureate' | 'participant'
    "efficiency_percent",  # 003 §3.5 (3) 81–100 % / §3.6.1 (4) ≤ 50 %
    "has_mentorship_certificate",  # 003 §3.5 (4)
    "experience_years",  # 004 II.2: ≥ 3 years pedagogical or managerial experience
    "high_result_directions",  # 004 II.2, III.2: directions with high results (list of strings)
    "communication_skills",  # 004 II.2
    "ready_to_share",  # 004 II.2
    "in_management_reserve",  # 003 §3.6.1 (1): резервист
    "school_low_results",  # 003 §3.6.1 (3): ШНОР
    "participant_kind",  # 001 §1.1, §2.3: 'pedagogue' (учитель) | 'student' (ученик)
)
# Facts computed on a day (``Person.rule_facts(on=…)``), not stored: the age from the date of birth.
DERIVED_FACT_FIELDS: tuple[str, ...] = (
    "age_years",  # 001 §1.1: обучающиеся в возрасте от 10 лет
)


class Person(Base):
    """A participant. Personal data (152-ФЗ): only what the workflows and rules need; every read of
    someone else's data is logged in ``AccessLogEntry``."""

    __tablename__ = "persons"
    __table_args__ = (
        CheckConstraint(
            "efficiency_percent IS NULL OR (efficiency_percent >= 0 AND efficiency_percent <= 100)",
            name="efficiency_percent_range",
        ),
        CheckConstraint(
            "(years_as_head IS NULL OR years_as_head >= 0)"
            " AND (months_as_head IS NULL OR months_as_head >= 0)"
            " AND (experience_years IS NULL OR experience_years >= 0)",
            name="non_negative_durations",
        ),
        check_in("participant_kind", ParticipantKind, "participant_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(300))  # ФИО
    login: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(254))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)  # place of work
    position: Mapped[str | None] = mapped_column(String(200))  # должность
    phone: Mapped[str | None] = mapped_column(String(32))  # optional (152-ФЗ: minimum data)
    personnel_number: Mapped[str | None] = mapped_column(String(64), index=True)  # табельный номер: import key
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # raised by logout, a password change and deactivation: every web session issued before ends
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    years_as_head: Mapped[int | None] = mapped_column(Integer)
    months_as_head: Mapped[int | None] = mapped_column(Integer)
    is_head: Mapped[bool | None] = mapped_column(Boolean)
    contest_level: Mapped[str | None] = mapped_column(String(32))
    contest_result: Mapped[str | None] = mapped_column(String(32))
    efficiency_percent: Mapped[float | None] = mapped_column(Numeric(5, 2, asdecimal=False))
    has_mentorship_certificate: Mapped[bool | None] = mapped_column(Boolean)
    experience_years: Mapped[int | None] = mapped_column(Integer)
    high_result_directions: Mapped[list[str] | None] = mapped_column(JSON)
    communication_skills: Mapped[bool | None] = mapped_column(Boolean)
    ready_to_share: Mapped[bool | None] = mapped_column(Boolean)
    in_management_reserve: Mapped[bool | None] = mapped_column(Boolean)
    school_low_results: Mapped[bool | None] = mapped_column(Boolean)
    participant_kind: Mapped[str | None] = mapped_column(String(16))  # 001 §2.3: учитель или ученик
    birth_date: Mapped[date | None] = mapped_column(Date)  # 001 §1.1: only for the age a rule reads
    # facts a rule file declares that have no column above ({fact: typed value}): a new fact in a rule file is
    # entered and read without code (engine.services.administration.person_fields)
    extra_facts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # set when the person's data was anonymized on request (152-ФЗ); signed orders keep their text
    anonymized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization | None] = relationship()
    roles: Mapped[list[RoleAssignment]] = relationship(back_populates="person")

    def rule_facts(self, on: date | None = None) -> dict[str, Any]:
        """The rule-relevant attributes as a plain dict (None where unknown); ``on``: the day the derived
        facts are computed for (the age; without a day it is unknown)."""
        facts = {**(self.extra_facts or {}), **{name: getattr(self, name) for name in RULE_FACT_FIELDS}}
        if facts["high_result_directions"] is not None:
            facts["high_result_directions"] = list(facts["high_result_directions"])
        facts["age_years"] = full_years(self.birth_date, on) if self.birth_date and on else None
        return facts

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.login!r}>"


class RoleAssignment(Base):
    """A person's role in an organization. One row per (person, organization, role): revoking sets
    ``active`` False and ``revoked_at``; granting again reactivates the same row."""

    __tablename__ = "role_assignments"
    __table_args__ = (
        UniqueConstraint("person_id", "organization_id", "role"),
        check_in("role", Role, "role"),
        CheckConstraint("active OR revoked_at IS NOT NULL", name="revoked_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))  # e.g. curator appointment order

    person: Mapped[Person] = relationship(back_populates="roles")
    organization: Mapped[Organization] = relationship()
    order: Mapped[Order | None] = relationship()
