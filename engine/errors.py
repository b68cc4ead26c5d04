"""One base error for everything the domain refuses; messages are Russian and name what is wrong."""
from __future__ import annotations


class NastavnikError(Exception):
    """Base of every error the project raises on purpose.

    ``message`` is for people (Russian); ``where`` names the file, element, field or clause.
    """

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


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
