"""The backoffice's test world: staff of every access level in two businesses, a login and a real sign-in
for each (replayed when a test asks for it), and a seeded appointment with a client to look at. Built once
per session by tests/conftest.py (`MotoSession.reset` restores it before each test that asks for it).

    headers = login(Level.MANAGER)                       # the salon's manager
    headers = login(Level.ADMIN, business=OTHER)         # an administrator of the second business
    login.staff_id(Level.PROFESSIONAL)                   # "stf_ana": who that login is
"""
from __future__ import annotations

from datetime import timedelta

from chalicelib import config, wiring
from chalicelib.domain.principal import Level
from chalicelib.domain.calendar import WeeklyHours
from chalicelib.domain.model import Business, Staff
from chalicelib.services import identity
from tests import factories
from tests.api.helpers import booking_body, post
from tests.moto_session import Changes, MotoSession

SALON = "biz_salon"
OTHER = "biz_other"
PASSWORD = "Turno-Test-Pass-1!"
SENDER = "no-reply@turno.example"

# Who holds each level's login, per business. Levels 5-7 are professionals with hours and services.
STAFF = {
    SALON: {
        Level.ADMIN: "stf_owner", Level.MANAGER: "stf_manager", Level.RECEPTION_FULL: "stf_desk",
        Level.RECEPTION_CALENDAR: "stf_phone", Level.PROFESSIONAL: "stf_ana",
        Level.PROFESSIONAL_NO_CONTACTS: "stf_bea", Level.PROFESSIONAL_OWN: "stf_cris",
    },
    OTHER: {level: f"stf_o{int(level)}" for level in Level},
}
WORKDAYS = WeeklyHours.from_json({d: [["09:00", "13:00"], ["14:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")})

TRAINEE = "stf_trainee"
LEAVER = "stf_leaver"  # has a login, for the example that takes one away
TRAINEE_EMAIL = "trainee@biz-salon.example"
TEMPORARY_PASSWORD = "Temporary-Pass-9!"


def staff_id(level: Level, business: str = SALON) -> str:
    return STAFF[business][Level(level)]


def email(level: Level, business: str = SALON) -> str:
    return f"{staff_id(level, business)}@{business.replace('_', '-')}.example"


def seed_second_business(store) -> Business:
    """Another salon with its own (different) ids: its staff must never reach the first one's data."""
    business = factories.salon(id=OTHER, slug="otro", name="Peluquería Otra")
    services = [factories.services()[0].__class__("svc_o_cut", "Corte", 30, factories.services()[0].price)]
    members = [Staff(STAFF[OTHER][Level.PROFESSIONAL], "Olga", frozenset({"svc_o_cut"}), WORKDAYS)]
    return factories.seed(store, business, members=members, offered=services)


def seed_backoffice_staff(store) -> None:
    """A staff member behind every level's login in both businesses (the salon's professionals exist)."""
    for member in (Staff("stf_owner", "Lucía", frozenset(), WeeklyHours()),
                   Staff("stf_manager", "Marta", frozenset(), WeeklyHours()),
                   Staff("stf_desk", "Diego", frozenset(), WeeklyHours()),
                   Staff("stf_phone", "Pablo", frozenset(), WeeklyHours()),
                   Staff("stf_cris", "Cris", frozenset({"svc_cut"}), WORKDAYS)):
        store.save_staff(SALON, member)
    for level, member_id in STAFF[OTHER].items():
        if level != Level.PROFESSIONAL:
            store.save_staff(OTHER, Staff(member_id, f"Otro {int(level)}", frozenset(), WeeklyHours()))


def sign_in_everyone(session: MotoSession, client) -> dict[tuple[str, Level], tuple[dict, Changes]]:
    """A login and one real sign-in (POST /auth/login) per level and business, each rehearsed on its own:
    {(business, level): (tokens, what the login wrote)}. The world keeps none of them (see Login)."""
    signed_in = {}
    for business, levels in STAFF.items():
        for level in levels:
            signed_in[(business, level)] = session.rehearse(lambda: _sign_in(client, business, level))
    seen: dict[tuple, tuple[str, Level]] = {}
    for who, (_, changes) in signed_in.items():
        for key in changes.entries:
            if key in seen:
                raise AssertionError(f"the logins of {seen[key]} and {who} both write {key}: they cannot be "
                                     "replayed one without the other")
            seen[key] = who
    return signed_in


def _sign_in(client, business: str, level: Level) -> dict:
    identity.provision_login(wiring.directory(), business, staff_id(level, business),
                             email(level, business), level, PASSWORD, wiring.now())
    response = post(client, "/auth/login", {"email": email(level, business), "password": PASSWORD})
    assert response.status_code == 200, response.body
    return response.json_body


class Login:
    """login(level, business=SALON) -> {"Authorization": "Bearer <access token>"} from a real sign-in.

    As before the session cache, a level's login exists only once a test asks for it. Each sign-in ran
    once, when the world was built; the first time a test asks for a level, what that sign-in wrote (the
    Cognito user and its tokens, the staff login items) is written again, so its tokens are valid."""

    def __init__(self, session: MotoSession, signed_in: dict[tuple[str, Level], tuple[dict, Changes]]) -> None:
        self._session = session
        self._signed_in = signed_in
        self._present: set[tuple[str, Level]] = set()

    def __call__(self, level: Level, business: str = SALON) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens(level, business)['access_token']}"}

    def staff_id(self, level: Level, business: str = SALON) -> str:
        return staff_id(level, business)

    def email(self, level: Level, business: str = SALON) -> str:
        return email(level, business)

    def tokens(self, level: Level, business: str = SALON) -> dict:
        key = (business, Level(level))
        tokens, changes = self._signed_in[key]
        if key not in self._present:
            self._session.apply(changes)
            self._present.add(key)
        return dict(tokens)


def seed_invitations_and_a_booking(client, store, now) -> dict:
    """Ids a backoffice route can be called with: the salon's catalog, one booked appointment with a
    client who has an email and a phone (level 6 must never see them), a trainee (level 5) who was
    invited but has not signed in yet (temporary password), and a leaver (level 7) with a login."""
    store.save_staff(SALON, Staff(TRAINEE, "Tomás", frozenset({"svc_cut"}), WORKDAYS))
    identity.provision_login(wiring.directory(), SALON, TRAINEE, TRAINEE_EMAIL,
                             Level.PROFESSIONAL, TEMPORARY_PASSWORD, now, temporary=True)
    store.save_staff(SALON, Staff(LEAVER, "Leo", frozenset(), WeeklyHours()))
    store.save_desk(SALON, factories.desks()[0])  # a wash basin (no service requires it here)
    identity.provision_login(wiring.directory(), SALON, LEAVER, "leaver@biz-salon.example",
                             Level.PROFESSIONAL_OWN, PASSWORD, now)
    start = (now + timedelta(days=1)).replace(hour=9, minute=0)  # Tuesday 10:00 in Madrid
    response = post(client, "/public/salon/bookings",
                    booking_body(start.isoformat(), staff="stf_ana", email="eva.private@example.com",
                                 phone="+34699111222"))
    assert response.status_code == 201, response.body
    booking = response.json_body
    appointment = store.appointment(booking["reference"])
    return {
        "business": SALON, "other_business": OTHER,
        "service": "svc_cut", "staff": "stf_ana", "colleague": "stf_bea", "trainee": TRAINEE,
        "leaver": LEAVER,
        "reference": booking["reference"], "client": appointment.client_id,
        "client_email": "eva.private@example.com", "client_phone": "+34699111222",
        "start": booking["start"], "desk": "dsk_basin1",
    }


def sent_emails() -> list:
    """SES's record of sent mail (emptied before every test)."""
    from tests.moto_session import sent_messages

    return sent_messages()
