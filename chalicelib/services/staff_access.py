"""Who may sign in to the backoffice, at which level: changing a login's access level, taking it away.
(Giving one is an invitation: services/invitations.py.)"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from ..domain.fields import checked_level
from ..domain.principal import Level, Principal
from ..errors import ConflictError, ForbiddenError, NotFoundError
from ..ports import Directory, UserNotFoundError
from ..repositories import accounts, catalog_admin
from . import audit
from .invitations import directory_failures_answered
from .team import Member, check_may_manage


def change_level(principal: Principal, staff_id: str, level_value: Any, now: datetime) -> Member:
    level = checked_level(level_value)
    found = catalog_admin.staff_member(principal.business_id, staff_id).value
    login = accounts.of_staff(principal.business_id, staff_id)
    if login is None:
        raise NotFoundError("this staff member has no login yet: invite them first", field="staff",
                            code="no_login")
    check_may_manage(principal, login)
    if level == Level.ADMIN and not principal.is_admin:
        raise ForbiddenError("only an administrator can make someone an administrator", field="level",
                             code="administrators_only")
    if login.level == Level.ADMIN and level != Level.ADMIN:
        _check_another_admin_stays(principal, field="level")
    if login.level != level:
        accounts.set_level(login, int(level), audit.entry(
            principal, "access.change", "staff", staff_id, {"level": login.level}, {"level": int(level)}, now))
        login = replace(login, level=int(level))
    return Member(found, login)


@directory_failures_answered
def revoke(principal: Principal, directory: Directory, staff_id: str, now: datetime) -> Member:
    """Take a staff member's login away: the very next request with their token is refused (the authorizer
    finds no login), their directory user is deleted, and the email may be invited again. The profile stays.
    The directory user goes first: if the directory fails, nothing changed and the call can be repeated; a
    login left without its user is what a resend already mends."""
    found = catalog_admin.staff_member(principal.business_id, staff_id).value
    login = accounts.of_staff(principal.business_id, staff_id)
    if login is None:
        raise NotFoundError("this staff member has no login", field="staff", code="no_login")
    check_may_manage(principal, login)
    if login.level == Level.ADMIN:
        _check_another_admin_stays(principal)
    try:
        directory.delete_user(login.email)
    except UserNotFoundError:
        pass  # already gone: what matters is that our login goes too
    accounts.remove(login, audit.entry(principal, "access.revoke", "staff", staff_id,
                                       {"email": login.email, "level": login.level}, None, now))
    return Member(found, None)


def _check_another_admin_stays(principal: Principal, field: str | None = None) -> None:
    admins = [a for a in accounts.of_business(principal.business_id).values() if a.level == Level.ADMIN]
    if len(admins) <= 1:
        raise ConflictError("the business would have no administrator left", field=field, code="last_administrator")
