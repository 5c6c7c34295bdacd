"""Who is calling a backoffice route: a staff member of one business, at one of seven access levels.

Pure data and rules (chalicelib/auth/ resolves it from a token; the services decide with it)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum


class Level(IntEnum):
    """The seven access levels (1 sees the most). Their numbers are what the API and the SPA show."""

    ADMIN = 1  # everything, including settings, staff and access management
    MANAGER = 2  # everything except changing administrators and business-level settings
    RECEPTION_FULL = 3  # every agenda, clients, services, waiting list, monitor, activity reports
    RECEPTION_CALENDAR = 4  # agenda and clients only
    PROFESSIONAL = 5  # own agenda and the clients they serve; colleagues' agendas read-only
    PROFESSIONAL_NO_CONTACTS = 6  # as 5, but never a client's email or phone
    PROFESSIONAL_OWN = 7  # own appointments only, and the clients of those appointments

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: object) -> "Level":
        """1-7 or a level's name ("manager"); anything else is a ValueError."""
        if isinstance(value, bool):
            raise ValueError(value)
        if isinstance(value, int):
            return cls(value)
        if isinstance(value, str) and value.upper() in cls.__members__:
            return cls[value.upper()]
        raise ValueError(value)


class AgendaScope(str, Enum):
    ALL = "all"  # every staff member's agenda, read and write
    OWN_AND_COLLEAGUES_READ = "own_and_colleagues_read"  # write own; read everyone's
    OWN = "own"  # read and write own only


@dataclass(frozen=True)
class Principal:
    """Resolved by the authorizer from the token's subject; the business never comes from the request."""

    business_id: str
    staff_id: str
    level: Level
    email: str = ""

    @property
    def sees_contacts(self) -> bool:
        """Whether a client's email and phone may appear in anything this caller receives."""
        return self.level != Level.PROFESSIONAL_NO_CONTACTS

    @property
    def agenda_scope(self) -> AgendaScope:
        if self.level <= Level.RECEPTION_CALENDAR:
            return AgendaScope.ALL
        if self.level == Level.PROFESSIONAL_OWN:
            return AgendaScope.OWN
        return AgendaScope.OWN_AND_COLLEAGUES_READ

    def may_read_agenda_of(self, staff_id: str) -> bool:
        return self.agenda_scope != AgendaScope.OWN or staff_id == self.staff_id

    def may_write_agenda_of(self, staff_id: str) -> bool:
        return self.agenda_scope == AgendaScope.ALL or staff_id == self.staff_id

    @property
    def is_admin(self) -> bool:
        return self.level == Level.ADMIN

    def context(self) -> dict[str, str]:
        """What the authorizer hands API Gateway (string values only) for the route to rebuild us."""
        return {"business_id": self.business_id, "staff_id": self.staff_id, "level": str(int(self.level)),
                "email": self.email}

    @classmethod
    def from_context(cls, context: dict) -> "Principal":
        return cls(business_id=context["business_id"], staff_id=context["staff_id"],
                   level=Level(int(context["level"])), email=context.get("email") or "")
