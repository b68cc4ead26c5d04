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


class RuleFileError(NastavnikError):
    """A rule file is malformed; ``problems`` lists every problem found."""

    def __init__(self, problems: list, *, where: str | None = None) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "ошибка в файле правил"
        more = f" (и ещё {len(self.problems) - 1})" if len(self.problems) > 1 else ""
        super().__init__(first + more, where=where)


class UnknownRuleset(NastavnikError):
    """No ruleset of that id runs."""


class FactError(NastavnikError):
    """A fact has the wrong type or is out of range."""


class WorkflowDefinitionError(NastavnikError):
    """A BPMN file is refused; ``problems`` carries element ids and names."""

    def __init__(self, problems: list, *, where: str | None = None) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "ошибка в описании процесса"
        more = f" (и ещё {len(self.problems) - 1})" if len(self.problems) > 1 else ""
        super().__init__(first + more, where=where)


class PermissionDenied(NastavnikError):
    pass


class TokenRejected(NastavnikError):
    """No such API token, or it expired, was revoked, or its person is no longer active."""


class NotFound(NastavnikError):
    pass


class ConflictError(NastavnikError):
    """Somebody else changed the same thing first; nothing was saved."""
