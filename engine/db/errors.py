"""Errors the storage layer raises on purpose (all are ``engine.errors`` subclasses)."""
from __future__ import annotations

from engine.errors import ConflictError, NastavnikError


class ImmutableRecordError(ConflictError):
    """The row may no longer change: a signed order, an audit or access-log entry."""


class InvalidStatusTransition(ConflictError):
    """A status moved along an edge its lifecycle does not have (e.g. a refused order signed)."""


class InvalidValue(NastavnikError):
    """A value outside a documented vocabulary (mentee category, form of mentorship, order type...)."""
