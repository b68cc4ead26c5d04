"""A ruleset as loaded from its file: plain, immutable data shared by both evaluators."""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.rules.expressions import Expr, Literal

FACT_TYPES = ("number", "bool", "enum", "list")
MESSAGE_KINDS = ("passed", "failed", "no_data")
UNDECIDED = "insufficient_data"

# How criteria outcomes combine (three-valued: True, False, None = unknown).
COMBINATORS = ("all_passed", "any_passed", "any_failed", "all_failed")


def unit_of(raw: object) -> tuple[str | None, tuple[str, ...]] | None:
    """A file's ``unit``: a string shown as written («%») or the three forms for 1, 3 and 5 ([год, года, лет]),
    of which the «many» form heads a column; None when it is neither."""
    if raw is None or isinstance(raw, str):
        return raw, ()
    if isinstance(raw, list) and len(raw) == 3 and all(isinstance(form, str) and form.strip() for form in raw):
        return str(raw[2]), tuple(str(form) for form in raw)
    return None


UNIT_HELP = "поле unit: единица строкой («%») или три формы для 1, 3 и 5 ([год, года, лет])"


@dataclass(frozen=True)
class Fact:
    name: str
    type: str
    label: str
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    values: dict[str, str] = field(default_factory=dict)  # enum value -> Russian label
    description: str | None = None
    integer: bool = False
    # the unit's three forms, when the file gives them (``unit: [год, года, лет]``): a number is then shown
    # with the form that agrees with it («3 года», «5 лет»); ``unit`` holds the «many» form for headings
    unit_forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Parameter:
    name: str
    value: Literal
    label: str
    source: str
    description: str | None = None


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    condition_text: str
    condition: Expr
    source: str
    messages: dict[str, str]  # passed / failed / no_data


@dataclass(frozen=True)
class CriteriaTest:
    """A conjunction of combinators over criterion ids, e.g. all_passed: [a, b]."""

    parts: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class VerdictCase:
    verdict: str
    when: CriteriaTest | None  # None: otherwise


@dataclass(frozen=True)
class OutputCase:
    value: object
    when_text: str | None = None
    when: Expr | None = None
    when_criteria: CriteriaTest | None = None


@dataclass(frozen=True)
class Output:
    """One output. Exactly one way of computing it is set:

    ``value`` (optionally only ``when_verdict``), ``cases`` (first that holds; an undecidable case
    before a holding one makes the output unknown), or ``collect`` ('passed'/'failed') over criteria.
    """

    name: str
    label: str
    unit: str | None = None
    source: str | None = None
    value: object = None
    when_verdict: tuple[str, ...] | None = None
    cases: tuple[OutputCase, ...] = ()
    otherwise: object = None
    collect: str | None = None
    collect_from: tuple[str, ...] = ()
    collect_values: dict[str, object] = field(default_factory=dict)
    unit_forms: tuple[str, ...] = ()  # as Fact.unit_forms


@dataclass(frozen=True)
class Ruleset:
    id: str
    version: str
    title: str
    regulation: str
    source_file: str
    facts: dict[str, Fact]
    parameters: dict[str, Parameter]
    criteria: tuple[Criterion, ...]
    verdict_labels: dict[str, str]
    verdict_cases: tuple[VerdictCase, ...]
    outputs: tuple[Output, ...]
    digest: str  # sha256 of the file's bytes
    notes: str | None = None

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(criterion.id for criterion in self.criteria)
