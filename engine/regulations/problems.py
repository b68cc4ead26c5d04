"""What a refused pack reports: every problem named by file and field (``tomsk/pack.yaml: orders[1].kind: …``,
``tomsk/orders/completion.j2: строка 7: …``)."""
from __future__ import annotations

from dataclasses import dataclass

from engine.errors import ProblemsError


@dataclass(frozen=True)
class PackProblem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}" if self.field else f"{self.file}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "field": self.field, "message": self.message}


class PackError(ProblemsError):
    """A regulation pack is refused; ``problems`` names every file and field."""

    when_none = "ошибка в пакете положения"
