"""The parts of ``pack.yaml`` that end in the head's orders: the petitions (``petitions:`` — what a participant may
ask, who decides, whether a signed order follows) and the kinds of order the pack words (``orders:`` — each
cited; its wording is ``orders/<kind>.j2``, checked by ``order_templates``). Problems go to the reader's ``fail``
by field."""
from __future__ import annotations

from engine.regulations.manifest import Manifest
from engine.regulations.pack import DECIDERS, PETITION_CONTENT, PETITION_KINDS
from engine.regulations.pack_parts import OrderKindSpec, Petition


def petitions(m: Manifest) -> list[Petition]:
    """``petitions:`` — each with its ``kind`` (one of ``PETITION_KINDS``), who decides (one of ``DECIDERS``),
    its clause and grounds, ``order`` (whether a signed order follows; absent: it does) and, for the extension,
    ``content`` (what it may correct without adding months)."""
    return [_petition(m, at, entry) for at, entry in m.entries("petitions")]


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


def order_kinds(m: Manifest) -> list[OrderKindSpec]:
    """``orders:`` — the kinds of order the pack words, each with its clause."""
    return [OrderKindSpec(kind=m.text(entry, "kind", at) or "", clause=m.clause(entry, at))
            for at, entry in m.entries("orders")]
