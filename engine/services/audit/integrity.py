"""Checking that the audit trail, the access log and the signed orders are as they were written
(``engine.integrity``; the chains are appended by ``engine.db.chain``).

``verify_all`` walks every chain link by link: the link's number follows the previous one, it names the previous
link's hash, its hash is computed from what it says, its seal is the chain key's HMAC of that hash, and its row
still exists with the content it had; then the chain's head (sealed: a cut-off tail is seen), then rows that are
in no chain (written around the application). Every signed order is also checked on its own: the text has the
recorded SHA-256 and the CMS signature by the organization's certificate verifies. Each problem is a ``Break``
naming the table, the entry (id, order number) and what is wrong, in Russian; the first one found is the first
broken link. ``verify_order`` checks one order for its page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from engine.db.chain import HEADS, LINKS, Record, load_rows
from engine.db.models import Order, OrderStatus
from engine.documents.orders import document_sha256
from engine.errors import PermissionDenied
from engine.integrity.canonical import (
    CHAINED_COLUMNS,
    CHAINS,
    GENESIS,
    chain_hash,
    content_sha256,
    head_seal,
    seal,
    seal_matches,
)
from engine.integrity.cms import signature_problem
from engine.integrity.keys import Certificate, chain_key, key_id, organization_certificate
from engine.services.people.actor import Actor, Role
from engine.vocabulary import counted

TABLE_LABELS = {"audit_entries": "журнал действий", "access_log": "журнал доступа к персональным данным",
                "orders": "подписанные приказы"}
NO_CMS = "подписан до введения подписи CMS: проверены SHA-256 текста и цепочка"


@dataclass(frozen=True)
class Break:
    """One broken link: where (the table, the entry) and what is wrong."""

    chain: str
    entry: str  # «запись № 12», «приказ № 100р (запись № 5)», «звено № 7»
    problem: str

    @property
    def table(self) -> str:
        return CHAINED_COLUMNS[self.chain][0]

    def __str__(self) -> str:
        return f"{TABLE_LABELS[self.table]}, {self.entry}: {self.problem}"

    def with_table(self) -> str:
        """As ``str``, naming the database table too (for the command line)."""
        return f"{TABLE_LABELS[self.table]} (таблица {self.table}), {self.entry}: {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    chain: str
    links: int
    breaks: list[Break]
    notes: list[str] = field(default_factory=list)

    @property
    def table(self) -> str:
        return CHAINED_COLUMNS[self.chain][0]

    @property
    def label(self) -> str:
        return TABLE_LABELS[self.table]


@dataclass(frozen=True)
class IntegrityReport:
    chains: list[ChainReport]
    key_id: str  # which chain key checked the seals
    certificate: str  # whose certificate checked the signatures

    @property
    def breaks(self) -> list[Break]:
        return [found for report in self.chains for found in report.breaks]

    @property
    def intact(self) -> bool:
        return not self.breaks

    def summary(self) -> str:
        parts = [f"{report.label} (таблица {report.table}): {counted(report.links, 'звено', 'звена', 'звеньев')}"
                 for report in self.chains]
        return "; ".join(parts)


@dataclass(frozen=True)
class OrderSeal:
    """What the order's page says of its signature and its place in the chain."""

    verified: bool
    problems: list[str]
    has_cms: bool


# --- the whole -------------------------------------------------------------------------------------------


def _entry(chain: str, record_id: int, row: Record | None) -> str:
    if chain == "orders" and row is not None and row["number"]:
        return f"приказ № {row['number']} (запись № {record_id})"
    return f"запись № {record_id}"


def _link_problem(chain: str, link: Record, expected_seq: int, previous: str, key: bytes) -> str | None:
    if link["seq"] != expected_seq:
        if link["seq"] == expected_seq + 1:
            return f"звено № {expected_seq} цепочки удалено (перед звеном № {link['seq']})"
        return f"звенья № {expected_seq}–{link['seq'] - 1} цепочки удалены (перед звеном № {link['seq']})"
    if link["previous_hash"] != previous:
        return f"звено № {link['seq']} не ссылается на предыдущее: цепочку переставили или подменили звено"
    recomputed = chain_hash(chain, link["seq"], link["record_id"], link["previous_hash"], link["content_sha256"])
    if recomputed != link["chain_hash"]:
        return f"хеш звена № {link['seq']} не сходится с тем, что в звене записано"
    if not seal_matches(seal(key, link["chain_hash"]), link["seal"]):
        return (f"печать (HMAC) звена № {link['seq']} не сходится: звено пересчитано без ключа сервера "
                "(или база проверяется другим ключом)")
    return None


def _record_problem(chain: str, link: Record, row: Record | None) -> str | None:
    if row is None:
        return f"запись удалена (звено № {link['seq']})"
    if content_sha256(chain, row) != link["content_sha256"]:
        return f"запись изменена после того, как вошла в цепочку (звено № {link['seq']})"
    return None


def _head_problem(connection: Connection, chain: str, last_seq: int, last_hash: str, key: bytes,
                  has_rows: bool) -> str | None:
    heads = HEADS
    head = connection.execute(select(heads).where(heads.c.chain == chain)).mappings().one_or_none()
    if head is None:
        return "нет заголовка цепочки (его строку удалили)" if last_seq or has_rows else None
    if head["seq"] == 0 and last_seq == 0:
        return None
    if not seal_matches(head_seal(key, chain, head["seq"], head["chain_hash"]), head["seal"]):
        return "печать (HMAC) заголовка цепочки не сходится: заголовок подделан"
    if head["seq"] > last_seq:
        if head["seq"] == last_seq + 1:
            return f"последнее звено цепочки удалено (№ {head['seq']}): журнал усечён"
        lost = head["seq"] - last_seq
        return (f"последние {counted(lost, 'звено', 'звена', 'звеньев')} цепочки удалены (№ {last_seq + 1}–"
                f"{head['seq']}): журнал усечён")
    if head["seq"] < last_seq:
        return f"звенья после № {head['seq']} добавлены в обход приложения"
    if head["chain_hash"] != last_hash:
        return f"заголовок цепочки не совпадает с её последним звеном № {last_seq}"
    return None


def _order_problems(row: Record, certificate: Certificate) -> list[str]:
    problems = []
    if row["body"] is None or document_sha256(row["body"]) != row["document_sha256"]:
        problems.append("текст приказа не совпадает с записанным SHA-256")
    if row["document_signature"]:
        problem = signature_problem(row["body"] or "", row["document_signature"], certificate)
        if problem:
            problems.append(problem)
    return problems


def verify_chain(connection: Connection, chain: str, key: bytes, certificate: Certificate) -> ChainReport:
    """Every link of ``chain``, its head, the rows outside it (and, for orders, each signed order on its own)."""
    rows = load_rows(connection, chain, every=True)
    links_table = LINKS
    links = list(connection.execute(select(links_table).where(links_table.c.chain == chain)
                                    .order_by(links_table.c.seq)).mappings())
    breaks: list[Break] = []
    previous, expected = GENESIS, 1
    for link in links:
        row = rows.get(link["record_id"])
        for problem in (_link_problem(chain, link, expected, previous, key), _record_problem(chain, link, row)):
            if problem:
                breaks.append(Break(chain, _entry(chain, link["record_id"], row), problem))
        previous, expected = link["chain_hash"], link["seq"] + 1
    head = _head_problem(connection, chain, expected - 1, previous, key, bool(rows))
    if head:
        breaks.append(Break(chain, "заголовок цепочки", head))
    chained = {link["record_id"] for link in links}
    notes: list[str] = []
    for record_id, row in rows.items():
        if chain == "orders" and row["status"] != OrderStatus.SIGNED.value:
            continue
        if record_id not in chained:
            breaks.append(Break(chain, _entry(chain, record_id, row),
                                "запись не входит в цепочку: добавлена в обход приложения"))
        if chain == "orders":
            breaks.extend(Break(chain, _entry(chain, record_id, row), p) for p in _order_problems(row, certificate))
            if not row["document_signature"]:
                notes.append(f"{_entry(chain, record_id, row)}: {NO_CMS}")
    return ChainReport(chain, len(links), breaks, notes)


def verify_all(session: Session) -> IntegrityReport:
    """Every chain and every signed order, as one snapshot (PostgreSQL: REPEATABLE READ)."""
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        connection = session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    else:
        connection = session.connection()
    key, certificate = chain_key(), organization_certificate()
    reports = [verify_chain(connection, chain, key, certificate) for chain in CHAINS]
    return IntegrityReport(reports, key_id(key), f"{certificate.subject} (SHA-256 {certificate.fingerprint[:16]}…)")


def report_for(session: Session, actor: Actor) -> IntegrityReport:
    """``verify_all`` for the page of the installation's integrity: shown to heads (the organization's
    administrator; the report names entries by id and orders by number, nothing personal) and to the system."""
    if not actor.is_system and not actor.organizations(Role.HEAD.value):
        raise PermissionDenied(f"{actor.full_name or actor.login}: проверку целостности журналов видит руководитель")
    return verify_all(session)


# --- one order ---------------------------------------------------------------------------------------------


def verify_order(session: Session, order: Order) -> OrderSeal:
    """The signed order's text, its CMS signature and its link in the orders' chain (with the link before it)."""
    connection = session.connection()
    row = load_rows(connection, "orders", [order.id]).get(order.id)
    if row is None or row["status"] != OrderStatus.SIGNED.value:
        return OrderSeal(False, ["приказ не подписан"], False)
    key, certificate = chain_key(), organization_certificate()
    problems = _order_problems(row, certificate)
    links = LINKS
    link = connection.execute(select(links).where(links.c.chain == "orders", links.c.record_id == order.id)
                              ).mappings().one_or_none()
    if link is None:
        problems.append("приказа нет в цепочке подписанных приказов: он записан в обход приложения")
    else:
        before = connection.execute(select(links.c.chain_hash).where(
            links.c.chain == "orders", links.c.seq == link["seq"] - 1)).scalar_one_or_none()
        previous = GENESIS if link["seq"] == 1 else (before or "")
        problems += [p for p in (_link_problem("orders", link, link["seq"], previous, key),
                                 _record_problem("orders", link, row)) if p]
    return OrderSeal(not problems, problems, bool(row["document_signature"]))
