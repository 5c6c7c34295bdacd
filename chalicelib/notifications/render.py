"""What a message says: default texts from templates/messages/<locale>/, or a business's own text
rendered in a Jinja2 sandbox. Both see the same variables: plain dicts of strings, never model
objects, with dates, times and prices already formatted for the business's locale and time zone.

Babel is imported inside the functions that format (it is only needed when a message is written).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any, Mapping

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from ..domain.changes import change_deadline
from ..domain.desks import Desk
from ..domain.model import Appointment, Business, Client, ClientChanges, Service, Staff
from ..errors import ValidationError
from ..templating import environment
from ..domain.messages import MessageKind
from ..domain.notification_settings import CustomText

LOCALES = ("en", "es", "it", "cs", "et")
DEFAULT_LOCALE = "en"
# Default texts: one file per kind and part in templates/messages/<locale>/.
PARTS = {"subject": "subject.txt", "text": "txt", "html": "html", "sms": "sms.txt"}

# The documented variables: exactly what a custom text may use (docs/openapi.yaml lists them too).
VARIABLES: dict[str, tuple[str, ...]] = {
    "business": ("name", "phone"),
    "client": ("first_name", "last_name", "name"),
    "service": ("name", "duration", "price"),
    "staff": ("name",),
    "desk": ("name", "number"),  # where the client will sit ("" when the service needs no desk)
    "appointment": ("reference", "date", "date_short", "time", "end_time", "when", "price"),
    "previous": ("date", "date_short", "time", "when"),  # the old time, on `rescheduled` ("" otherwise)
    "manage_url": (),
    "online_changes": (),  # true when the client may cancel or move the booking from the link
    "change_deadline": (),  # until when they may ("" when until the start, or not at all)
}
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})  # CLDR's no-break spaces would force UCS-2 SMS


def message_locale(locale: str) -> str:
    """The business's locale if we have texts for it ("es_MX" -> "es"), English otherwise."""
    language = (locale or "").replace("-", "_").split("_")[0].lower()
    return language if language in LOCALES else DEFAULT_LOCALE


def context(*, business: Business, appointment: Appointment, client: Client, service: Service, staff: Staff,
            manage_url: str, previous_start: datetime | None = None, desk: Desk | None = None) -> dict[str, Any]:
    """The variables every text sees, formatted for the business's locale and time zone."""
    from babel.dates import format_date, format_skeleton, format_time, get_datetime_format
    from babel.units import format_unit

    locale, tz = message_locale(business.locale), business.tz
    date_and_time = str(get_datetime_format("full", locale=locale))  # CLDR's "{1}, {0}" or "{1} {0}"

    def moment(instant: datetime | None) -> dict[str, str]:
        if instant is None:
            return {"date": "", "date_short": "", "time": "", "when": ""}
        local = instant.astimezone(tz)
        day, time = format_date(local.date(), "full", locale=locale), format_time(local, "short", locale=locale)
        return {"date": _plain(day), "date_short": _plain(format_skeleton("MMMEd", local, locale=locale)),
                "time": _plain(time), "when": _plain(date_and_time.replace("{1}", day).replace("{0}", time))}

    price = format_price(appointment.price, appointment.currency or business.currency, locale)
    online = business.rules.client_changes is not ClientChanges.OFF
    deadline = change_deadline(business, appointment)
    deadline_text = ""
    if business.rules.client_changes is ClientChanges.UNTIL and deadline is not None:
        deadline_text = moment(deadline)["when"]
    minutes = int((appointment.end - appointment.start).total_seconds() // 60)
    return {
        "locale": locale,
        "business": {"name": business.name, "phone": _display_phone(business.phone)},
        "client": {"first_name": client.first_name, "last_name": client.last_name,
                   "name": f"{client.first_name} {client.last_name}".strip()},
        "service": {"name": service.name,
                    "duration": _plain(format_unit(minutes, "duration-minute", length="short", locale=locale)),
                    "price": format_price(service.price, business.currency, locale)},
        "staff": {"name": staff.name},
        "desk": {"name": desk.label if desk else "", "number": str(desk.number) if desk else ""},
        "appointment": {"reference": appointment.reference, **moment(appointment.start),
                        "end_time": _plain(format_time(appointment.end.astimezone(tz), "short", locale=locale)),
                        "price": price},
        "previous": moment(previous_start),
        "manage_url": manage_url,
        "online_changes": online,
        "change_deadline": deadline_text,
        "active": appointment.status.holds_time,
    }


def local_time(instant: datetime, business: Business) -> str:
    """A time of day as the business's locale writes it, in its time zone (an offer's "held until")."""
    from babel.dates import format_time

    return _plain(format_time(instant.astimezone(business.tz), "short", locale=message_locale(business.locale)))


def format_price(amount: Decimal | int, currency: str, locale: str) -> str:
    """An amount in the currency's own format for the locale. An int is in minor units (cents)."""
    from babel.numbers import format_currency, get_currency_precision

    if isinstance(amount, int):
        amount = Decimal(amount).scaleb(-get_currency_precision(currency))
    return _plain(format_currency(amount, currency, locale=message_locale(locale)))


def _plain(text: str) -> str:
    return text.translate(_SPACES)


def _display_phone(phone: str | None) -> str:
    if not phone:
        return ""
    import phonenumbers

    try:
        return phonenumbers.format_number(phonenumbers.parse(phone, None),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return phone


# -- default texts -----------------------------------------------------------------------------
@dataclass(frozen=True)
class EmailText:
    subject: str
    text: str
    html: str


def default_email(kind: MessageKind, values: Mapping[str, Any]) -> EmailText:
    return EmailText(
        subject=_one_line(_render_default(kind, "subject", values)),
        text=_tidy(_render_default(kind, "text", values)),
        html=_render_default(kind, "html", values),
    )


def default_sms(kind: MessageKind, values: Mapping[str, Any]) -> str:
    return _tidy(_render_default(kind, "sms", values))


def details_text(values: Mapping[str, Any]) -> str:
    """The booking's details as plain lines (the .ics description uses them)."""
    return _tidy(environment().get_template(f"messages/{values['locale']}/_details.txt").render(values))


def _render_default(kind: MessageKind, part: str, values: Mapping[str, Any]) -> str:
    locale = values["locale"]
    name = f"messages/{locale}/{MessageKind(kind).value}.{PARTS[part]}"
    return environment().get_template(name).render(values)


# -- custom texts ------------------------------------------------------------------------------
class _Sandbox(SandboxedEnvironment):
    """Only item lookups on the documented dicts: no attribute of any object, not even dict methods."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return False

    def is_safe_callable(self, obj: Any) -> bool:
        return False


# Enough to shape a sentence; nothing that loops, calls, or grows a text without bound.
SAFE_FILTERS = ("upper", "lower", "title", "capitalize", "trim", "default", "truncate", "replace")
# Mod is string formatting ('%0999999999d' % 1): as much a text grown without bound as Mul.
_FORBIDDEN_NODES = (nodes.For, nodes.Macro, nodes.CallBlock, nodes.Call, nodes.Mul, nodes.Pow, nodes.Mod,
                    nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport, nodes.FilterBlock)
MAX_REPLACED = 10_000  # characters a `replace` may make: chained, each one could triple a text


@lru_cache(maxsize=1)
def sandbox() -> SandboxedEnvironment:
    env = _Sandbox(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
    env.globals.clear()  # no range(), lipsum(), dict(), namespace()...
    env.filters = {name: env.filters[name] for name in SAFE_FILTERS}
    env.filters["replace"] = _bounded_replace
    return env


def _bounded_replace(value: Any, old: Any, new: Any, count: int | None = None) -> str:
    """Jinja's `replace` that refuses to make a text longer than MAX_REPLACED, before making it."""
    value, old, new = str(value), str(old), str(new)
    found = value.count(old) if count is None or count < 0 else min(value.count(old), count)
    if len(value) + found * (len(new) - len(old)) > MAX_REPLACED:
        raise ValueError(f"replace would make a text over {MAX_REPLACED} characters")
    return value.replace(old, new, -1 if count is None else count)


# What rendering a custom text may raise (SecurityError is a TemplateError; filters assert on bad arguments).
CUSTOM_TEXT_ERRORS = (TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AssertionError)


class InvalidTemplateError(ValidationError):
    """A custom text that cannot be rendered; answered 422 with the offending field."""

    code = "invalid_template"


def check_custom_text(text: CustomText, sample: Mapping[str, Any],
                      variables: Mapping[str, tuple[str, ...]] = VARIABLES) -> None:
    """Refuse a custom text that does not parse, names an unknown variable, or fails on a sample.
    `variables`: what the text may use (a booking message's by default; marketing passes its own)."""
    for field, source in (("subject", text.subject), ("body", text.body)):
        if source is None:
            continue
        try:
            _check_one(field, source, sample, variables)
        # "((((...))))" or "not not ..." a few hundred deep: Jinja's parser recurses, and Python's own
        # compiler refuses the code Jinja makes of it ("too many nested parentheses")
        except (RecursionError, SyntaxError):
            raise InvalidTemplateError("an expression nested too deeply", field=field) from None


def _check_one(field: str, source: str, sample: Mapping[str, Any],
               variables: Mapping[str, tuple[str, ...]] = VARIABLES) -> None:
    try:
        tree = sandbox().parse(source)
    except TemplateSyntaxError as error:
        raise InvalidTemplateError(f"line {error.lineno}: {error.message}", field=field) from None
    # before compiling: the compiler computes constant expressions ('a' * 999999999) while it works
    forbidden = next(tree.find_all(_FORBIDDEN_NODES), None)
    if forbidden is not None:
        raise InvalidTemplateError(f"line {forbidden.lineno}: only variables, filters ({', '.join(SAFE_FILTERS)}) "
                                   "and if-blocks are allowed", field=field)
    try:
        declared = meta.find_undeclared_variables(tree)  # compiles: unknown filters fail here
    except TemplateSyntaxError as error:  # TemplateAssertionError too
        raise InvalidTemplateError(f"line {error.lineno}: {error.message}", field=field) from None
    unknown = _unknown_variables(tree, declared, variables)
    if unknown:
        raise InvalidTemplateError(f"unknown variable {unknown}; you may use: {', '.join(documented(variables))}",
                                   field=field)
    try:
        sandbox().from_string(source).render(sample)
    except SecurityError as error:
        raise InvalidTemplateError(f"not allowed: {error}", field=field) from None
    except TemplateError as error:
        raise InvalidTemplateError(str(error.message or error), field=field) from None
    except CUSTOM_TEXT_ERRORS as error:
        raise InvalidTemplateError(f"cannot be rendered: {error}", field=field) from None


def documented(variables: Mapping[str, tuple[str, ...]] = VARIABLES) -> list[str]:
    return [f"{name}.{key}" if key else name for name, keys in variables.items() for key in keys or ("",)]


def _unknown_variables(tree: nodes.Template, declared: set[str],
                       variables: Mapping[str, tuple[str, ...]] = VARIABLES) -> str | None:
    """The first name the text uses beyond the documented ones (`client.items`, `os`, ...)."""
    for name in sorted(declared):
        if name not in variables:
            return name
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        target = node.node
        if isinstance(target, nodes.Name) and target.name in declared:
            key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            if key not in variables[target.name]:
                return f"{target.name}.{key}" if isinstance(key, str) else f"{target.name}[...]"
        elif isinstance(node, nodes.Getattr | nodes.Getitem) and isinstance(target, nodes.Getattr | nodes.Getitem):
            return "a nested attribute"
    return None


def custom_email(text: CustomText, values: Mapping[str, Any]) -> EmailText:
    """The business's subject and body; the HTML part is the body escaped, with the usual footer (without
    its manage link when the body already gives it: one link, not the same one twice)."""
    subject = _one_line(sandbox().from_string(text.subject or "").render(values))
    body = _tidy(sandbox().from_string(text.body).render(values))
    locale = values["locale"]
    values = {**values, "link_in_body": bool(values.get("manage_url")) and values["manage_url"] in body}
    footer = _tidy(environment().get_template(f"messages/{locale}/_footer.txt").render(values))
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    body_html = Markup("\n").join(Markup("<p>{}</p>").format(Markup("<br>\n").join(_linked(line) for line in p.split("\n")))
                                  for p in paragraphs)
    html = environment().get_template("messages/custom.html").render({**values, "body_html": body_html})
    return EmailText(subject=subject, text=f"{body}\n\n{footer}", html=html)


_URL = re.compile(r"https?://[^\s<>\"']+")


def _linked(line: str) -> Markup:
    """One line of a business's text, escaped, with its web addresses made clickable."""
    parts, last = [], 0
    for match in _URL.finditer(line):
        parts.append(escape(line[last:match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(match.group(0)))
        last = match.end()
    parts.append(escape(line[last:]))
    return Markup("").join(parts)


def custom_sms(text: CustomText, values: Mapping[str, Any]) -> str:
    return _tidy(sandbox().from_string(text.body).render(values))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, no blank start or end."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# -- samples (preview, and the trial render when a custom text is saved) ------------------------
SAMPLE_MANAGE_URL = "https://example.com/manage/SAMPLE0REF00"


def sample_booking(business: Business, *, service: Service | None = None, staff: Staff | None = None,
                   now: datetime, status: Any = None) -> dict[str, Any]:
    """A made-up booking tomorrow at 10:00 local time, with the business's own service and staff
    when it has them: what a preview shows and what a custom text is tried on before it is saved."""
    from ..domain.calendar import Interval
    from ..domain.model import AppointmentStatus, Source

    service = service or Service("svc_sample", "Haircut", 45, Decimal("30.00"))
    staff = staff or Staff("stf_sample", "Alex", frozenset({service.id}), None)  # type: ignore[arg-type]
    local = now.astimezone(business.tz) + timedelta(days=1)
    start = local.replace(hour=10, minute=0, second=0, microsecond=0).astimezone(timezone.utc)
    end = start + timedelta(minutes=service.duration_minutes)
    appointment = Appointment(
        reference="SAMPLE0REF00", business_id=business.id, client_id="cli_sample", service_id=service.id,
        staff_id=staff.id, start=start, end=end, busy=Interval(start, end), status=status or AppointmentStatus.CONFIRMED,
        source=Source.ONLINE, price=service.price, currency=business.currency, created_at=now, updated_at=now,
    )
    client = Client("cli_sample", "Maria", "Rossi", email="maria@example.com", phone="+34612345678")
    return {"business": business, "appointment": appointment, "client": client, "service": service,
            "staff": staff}


def sample_context(business: Business, *, service: Service | None = None, staff: Staff | None = None,
                   now: datetime) -> dict[str, Any]:
    sample = sample_booking(business, service=service, staff=staff, now=now)
    return context(**sample, manage_url=SAMPLE_MANAGE_URL,
                   previous_start=sample["appointment"].start - timedelta(days=1))
