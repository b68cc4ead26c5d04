"""Storage: SQLAlchemy models, engine/session factories, Alembic migrations (``engine.db.migrate``)."""
from engine.db import (
    chain,  # noqa: F401  (appends the audit, access-log and order chains on commit)
    models,  # noqa: F401  (registers every table on Base.metadata)
)
from engine.db.base import (
    Base,
    database_url,
    default_database_url,
    make_engine,
    make_session_factory,
    resolve_url,
)
from engine.db.errors import ImmutableRecordError, InvalidStatusTransition, InvalidValue
from engine.db.types import UTCDateTime, utcnow

__all__ = [
    "Base", "database_url", "default_database_url", "make_engine", "make_session_factory", "resolve_url",
    "models", "ImmutableRecordError", "InvalidStatusTransition", "InvalidValue", "UTCDateTime", "utcnow",
]
