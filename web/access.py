"""Who may see what: the current ``Actor`` and role checks that end in 403.

``@require_role("curator")`` on a view: the user must be logged in (else the login page, or 401 on
``/api``) and hold the role in *some* organization; give ``org=`` a function of the view's keyword
arguments that returns the organization id of the thing accessed to require the role *there*.
Inside a view, ``check_role(organization_id, role)`` does the same for objects loaded later.
All of them raise ``PermissionDenied``, which the error handlers turn into a 403 page (JSON on /api).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask_login import current_user, login_required

from engine.errors import PermissionDenied
from engine.services.people.actor import ROLE_LABELS, Actor

F = TypeVar("F", bound=Callable[..., Any])


def current_actor() -> Actor | None:
    """The logged-in person's ``Actor`` (roles by organization), or None for an anonymous visitor."""
    if not current_user or not current_user.is_authenticated:
        return None
    return current_user.actor


def require_actor() -> Actor:
    actor = current_actor()
    if actor is None:
        raise PermissionDenied("Требуется вход в систему.")
    return actor


def _label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def check_role(organization_id: int | None, *roles: str) -> Actor:
    """The current actor if they hold one of ``roles`` in ``organization_id``; else PermissionDenied."""
    actor = require_actor()
    if organization_id is not None and any(actor.has_role(organization_id, role) for role in roles):
        return actor
    names = " или ".join(f"«{_label(r)}»" for r in roles)
    raise PermissionDenied(f"Это доступно только роли {names} в организации, к которой относится запись.")


def check_any_role(*roles: str) -> Actor:
    """The current actor if they hold one of ``roles`` in at least one organization."""
    actor = require_actor()
    if any(actor.organizations(role) for role in roles):
        return actor
    names = " или ".join(f"«{_label(r)}»" for r in roles)
    raise PermissionDenied(f"Этот раздел доступен только роли {names}.")


def require_role(*roles: str, org: Callable[..., int | None] | None = None) -> Callable[[F], F]:
    """View decorator: login required, then one of ``roles`` (in ``org(**view_kwargs)`` if given)."""
    if not roles:
        raise ValueError("require_role needs at least one role")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if org is None:
                check_any_role(*roles)
            else:
                check_role(org(**kwargs), *roles)
            return view(*args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator
