"""The canonical content of a chained row, its SHA-256, the chain hash and the keyed seal.

Three chains, one per table (decided here; README «Tamper evidence»): ``audit`` (every row of ``audit_entries``),
``access`` (every row of ``access_log``) and ``orders`` (every order at the moment it is signed). A chain is a
sequence of links numbered 1, 2, 3…; link *n* commits to its row's content and to link *n − 1*:

    content_sha256 = SHA-256(canonical JSON of the row's columns in ``CHAINED_COLUMNS``)
    chain_hash     = SHA-256("<chain>\\n<seq>\\n<record id>\\n<previous chain_hash>\\n<content_sha256>")
    seal           = HMAC-SHA256(chain key, chain_hash)

and the chain's head (its last link's number and hash) is sealed the same way. Whoever writes the database can
recompute every SHA-256 but no seal: that needs the chain key, kept outside the database (``keys``).
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

GENESIS = "0" * 64

# chain -> (table, the columns its content covers)
CHAINED_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "audit": ("audit_entries", ("id", "at", "actor_id", "organization_id", "action", "object_type", "object_id",
                                "details")),
    "access": ("access_log", ("id", "at", "viewer_id", "subject_id", "purpose", "fields")),
    "orders": ("orders", ("id", "organization_id", "type", "year", "number", "issued_on", "subject", "body",
                          "status", "signer_id", "signed_at", "document_sha256", "document_signature",
                          "regulation", "regulation_version", "template_sha256", "created_by_id",
                          "workflow_instance_id")),
}
CHAINS: tuple[str, ...] = tuple(CHAINED_COLUMNS)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def canonical_content(chain: str, row: Mapping[str, Any]) -> bytes:
    """The row's chained columns as canonical JSON (sorted keys, UTF-8, moments in UTC to the microsecond)."""
    _table, columns = CHAINED_COLUMNS[chain]
    content = {column: _plain(row[column]) for column in columns}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def content_sha256(chain: str, row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_content(chain, row)).hexdigest()


def chain_hash(chain: str, seq: int, record_id: int, previous_hash: str, content_hash: str) -> str:
    return hashlib.sha256(f"{chain}\n{seq}\n{record_id}\n{previous_hash}\n{content_hash}".encode()).hexdigest()


def seal(key: bytes, value: str) -> str:
    """HMAC-SHA256 of ``value`` with the chain key, as hex."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def head_seal(key: bytes, chain: str, seq: int, last_hash: str) -> str:
    return seal(key, f"head\n{chain}\n{seq}\n{last_hash}")


def seal_matches(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected, given)
