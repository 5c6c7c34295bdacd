"""Domain errors. Each carries a stable snake_case code; the HTTP edge maps the class to a status."""
from __future__ import annotations


class TurnoError(Exception):
    """Base of every error a user can cause; `field` names the offending input, if one."""

    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class ValidationError(TurnoError):
    code = "invalid"


class UnprocessableError(ValidationError):
    """Well-formed input that names something that cannot be: a start that is not a slot (422)."""

    code = "unprocessable"


class PayloadTooLargeError(TurnoError):
    code = "payload_too_large"


class NotFoundError(TurnoError):
    code = "not_found"


class ForbiddenError(TurnoError):
    code = "forbidden"


class ConflictError(TurnoError):
    code = "conflict"


class SlotUnavailableError(ConflictError):
    code = "slot_unavailable"


class ContactTakenError(ConflictError):
    """A new client's email or phone was claimed by a concurrent booking: read again and retry."""

    code = "contact_taken"
class UnauthenticatedError(TurnoError):
    """Wrong credentials, or no valid session: answered 401 without saying which part was wrong."""

    code = "unauthenticated"


class TooManyAttemptsError(TurnoError):
    """Too many wrong attempts; `retry_after` says in how many seconds to try again."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class UnavailableError(TurnoError):
    """A service Turno depends on (the staff directory) failed in a way a later try may not: 503, nothing kept."""

    code = "service_unavailable"
