"""One base error for everything the domain refuses; messages are Russian and name what is wrong."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Disclosure:
    """A person's personal data an error message shows (152-ФЗ): whoever answers the request writes it to the
    access log after rolling the request's work back (``engine.services.audit.disclosures``)."""

    subject_id: int
    viewer_id: int | None
    purpose: str
    fields: tuple[str, ...] = ("full_name",)


class NastavnikError(Exception):
    """Base of every error the project raises on purpose.

    ``message`` is for people (Russian); ``where`` names the file, element, field or clause; ``disclosures``
    the people whose data the message shows (their access is logged even though nothing else is kept).
    """

    disclosures: tuple[Disclosure, ...] = ()

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)

    def disclosing(self, *disclosures: Disclosure) -> NastavnikError:
        """The error, with these people's data shown in its message."""
        self.disclosures = (*self.disclosures, *disclosures)
        return self


class ProblemsError(NastavnikError):
    """A file refused for every problem found in it: ``problems`` lists them all; the message is the first one
    and how many more there are."""

    when_none = "ошибка в файле"

    def __init__(self, problems: list, *, where: str | None = None) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else self.when_none
        more = f" (и ещё {len(self.problems) - 1})" if len(self.problems) > 1 else ""
        super().__init__(first + more, where=where)


class RuleFileError(ProblemsError):
    """A rule file is malformed."""

    when_none = "ошибка в файле правил"


class UnknownRuleset(NastavnikError):
    """No ruleset of that id runs."""


class FactError(NastavnikError):
    """A fact has the wrong type or is out of range."""


class WorkflowDefinitionError(ProblemsError):
    """A BPMN file is refused; ``problems`` carries element ids and names."""

    when_none = "ошибка в описании процесса"


class PermissionDenied(NastavnikError):
    pass


class TokenRejected(NastavnikError):
    """No such API token, or it expired, was revoked, or its person is no longer active."""


class NotFound(NastavnikError):
    pass


class ConflictError(NastavnikError):
    """Somebody else changed the same thing first; nothing was saved."""


class LinkGone(NastavnikError):
    """A one-time link that existed but may no longer be used: used, revoked by a newer one, or expired."""


# PyYAML's problems (English) as a person reads them; the first pattern that matches wins
_YAML_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("could not find expected ':'", "не найдено двоеточие «:» после ключа"),
    ("mapping values are not allowed here", "здесь не может стоять «ключ: значение» — проверьте отступ и двоеточие"),
    ("found character '\\t' that cannot start any token", "табуляция: для отступов нужны пробелы"),
    ("found character", "недопустимый символ"),
    ("expected <block end>", "неверный отступ: строка не продолжает ни один блок"),
    ("found unexpected end of stream", "файл оборвался: не закрыта кавычка или скобка"),
    ("found unexpected ':'", "лишнее двоеточие «:»"),
    ("expected ',' or ']'", "в списке […] ожидается «,» или «]»"),
    ("expected ',' or '}'", "в словаре {…} ожидается «,» или «}»"),
    ("expected the node content", "ожидается значение"),
    ("expected a comment or a line break", "после значения ожидается конец строки или комментарий"),
    ("found undefined alias", "ссылка на несуществующий якорь (*имя)"),
    ("found duplicate anchor", "якорь (&имя) повторяется"),
    ("found unknown escape character", "неизвестная последовательность после «\\» в кавычках"),
    ("expected alphabetic or numeric character", "после «&» или «*» ожидается имя"),
    ("found a tab character", "табуляция: для отступов нужны пробелы"),
    ("while scanning a simple key", "не найдено двоеточие «:» после ключа"),
)


def yaml_message(error: Exception, what: str = "") -> str:
    """A YAML syntax error in Russian with its place: «строка 12, столбец 5: не найдено двоеточие «:» после
    ключа» (PyYAML's own text is English; an unknown one reads «синтаксическая ошибка YAML»)."""
    mark = getattr(error, "problem_mark", None)
    where = f"строка {mark.line + 1}, столбец {mark.column + 1}: " if mark is not None else ""
    problem = " ".join(str(getattr(error, "problem", None) or getattr(error, "context", None) or "").split())
    if any("а" <= char.lower() <= "я" for char in problem):  # our own loader's words (no aliases): as written
        return where + what + problem
    said = next((russian for english, russian in _YAML_PROBLEMS if english in problem), "синтаксическая ошибка YAML")
    return where + what + said


class ServiceBusy(NastavnikError):
    """The server cannot take the work now (every script worker busy): nothing was saved; try again shortly."""
