"""The PynamoDB models: one table, many kinds of item, told apart by `kind`.

Keys (pk / sk):
  BIZ#<business>            PROFILE | STAFF#<id> | SERVICE#<id> | DESK#<id>   the catalog, read in one query
                            CLOSURE#<id> | HOURS#<date>#<kind>#<id>  its special days (special_days.py)
  BIZ#<business>#DESKNO     <desk number, 6 digits>                one desk per number (a conditional put)
  SLUG#<slug>               SLUG                                   public slug -> business id
  BIZ#<business>#CLIENT     <client id>
  BIZ#<business>#CONTACT    email#<email> | phone#<e164>           one client per email and phone
  APPT#<reference>          APPT                                   also indexed by business and start
  LOCK#<business>#<kind>#<resource id>   <unit start, UTC>         who holds each 5-minute unit
  BUSY#<business>           <UTC day>#<kind>#<resource id>         busy minutes per appointment, for availability
  THROTTLE#<business>#<address>          code                      recent wrong secret codes
  BIZ#<business>#NOTIFY     SETTINGS | TEXT#<kind>#<channel>       notification settings and custom texts
  BIZ#<business>#ACTIVITY   <when>#<reference>#<id>                what clients changed, for the backoffice
  BIZ#<business>#FIND#client|appointment  <word>#<id or reference>  search: every prefix of a word finds it
  BIZ#<business>#WORD       <word>#<client id>#<origin>            the old whole-word index (jobs/reindex.py deletes it)
  BIZ#<business>#HISTORY#<client id>   <reference>                 a client's appointments
  SUB#<cognito sub>         ACCOUNT                                a staff login: business, staff, level
  BIZ#<business>#ACCOUNT    <staff id>                             the business's logins
  BIZ#<business>#AUDIT      <when>#<id>                            backoffice changes, newest last
  THROTTLE#login#<sha256 of email>      login                      recent failed sign-ins
  THROTTLE#signup#<sha256 of address>  signup                     recent sign-ups from one network address
  OUTBOX#<id>               OUTBOX                                 one per booking change: its messages (messages.py)
  BIZ#<business>#MSGLOG#<client>  <at>#<outbox id>#<channel>        a client's message log (also agenda: BIZ#<b>#MSGS)
  BIZ#<business>#MSGCOUNT   <local day>#<kind>#<channel>           messages per day, kind and channel, for reports
  BIZ#<business>#REPORT    D#<day>#<dimension>#<value> | M#<month>#...  report counters per local day and month
                            COUNTED#<reference> | SETTINGS | COMMISSIONS   what each appointment counted; settings
  BIZ#<business>#WAIT      <request id> | SETTINGS               the waiting list (repositories/waitlist.py)
  BIZ#<business>#WAITOF#<client>  <request id>                    a client's waiting requests (privacy)
  BIZ#<business>#OPENING   <opening id>                          freed times offered to it (repositories/openings.py)
                            CLIENT#<client> | C#D#<day> | C#M#<month>      the clients report's facts and maps
  REPORTS#BUSINESSES        <business>                             businesses the reports count (nightly reconciliation)
  UNDELIVERABLE#<email|phone>#<address>  MARK                      bounced, complained or opted out
  BIZ#<business>#DNC        email#<hmac> | phone#<hmac>              do-not-contact: keyed hashes of erased clients' contacts
  BIZ#<business>#SEEN       <client id>                            a client's last appointment start, for retention
                            (also in the `agenda` index as BIZ#<business>#IDLE / <last seen>#<client id>)
  BIZ#<business>#PRIVACY    SETTINGS                               retention: pseudonymise clients idle N months
  PRIVACY#RETENTION         <business id>                          the businesses with retention on (the nightly job)
  BIZ#<business>            PLAN#<id>                              a plan template (read with the catalog)
  BIZ#<business>#PLAN       SOLD#<client id>#<plan id> | SETTINGS   sold plans, with units available; plan settings
  BIZ#<business>#PLANLOG    <plan id>#<when>#<id>                  the plans' ledger, append-only
  BIZ#<business>#MERGE      <client id>#<client id>                two client records one booker matched
Index `due` (sparse): outbox items waiting to be sent (DUE#OUTBOX#<day>) and appointments waiting for a
reminder (DUE#REMIND#<day>), sorted by due instant; only items with work due carry its keys.
This module is also the single source of the table's shape for infra/ (see `table_definition`).
"""
from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.constants import STREAM_NEW_AND_OLD_IMAGE
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ..config import settings


class AgendaIndex(GlobalSecondaryIndex):
    """Appointments of a business by start time: the agenda and availability read this."""

    class Meta:
        index_name = "agenda"
        projection = AllProjection()

    agenda_pk = UnicodeAttribute(hash_key=True)
    agenda_sk = UnicodeAttribute(range_key=True)


class DueIndex(GlobalSecondaryIndex):
    """Work by due instant, one partition per UTC day: jobs query it instead of scanning."""

    class Meta:
        index_name = "due"
        projection = AllProjection()

    due_pk = UnicodeAttribute(hash_key=True)
    due_sk = UnicodeAttribute(range_key=True)


class Item(Model):
    class Meta:
        table_name = settings().table_name
        billing_mode = "PAY_PER_REQUEST"
        stream_view_type = STREAM_NEW_AND_OLD_IMAGE  # jobs/stream.py reads what each change did

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()
    expires_at = TTLAttribute(null=True)
    agenda_pk = UnicodeAttribute(null=True)
    agenda_sk = UnicodeAttribute(null=True)
    agenda = AgendaIndex()
    due_pk = UnicodeAttribute(null=True)
    due_sk = UnicodeAttribute(null=True)
    due = DueIndex()


class BusinessItem(Item, discriminator="business"):
    id = UnicodeAttribute()
    slug = UnicodeAttribute()
    name = UnicodeAttribute()
    timezone = UnicodeAttribute()
    locale = UnicodeAttribute()
    currency = UnicodeAttribute()
    opening_hours = JSONAttribute()
    rules = JSONAttribute()
    secret_code = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    revision = NumberAttribute(null=True)  # bumped by every backoffice edit: concurrent edits cannot both land


class SlugItem(Item, discriminator="slug"):
    business_id = UnicodeAttribute()


class StaffItem(Item, discriminator="staff"):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    service_ids = ListAttribute(of=UnicodeAttribute, default=list)
    hours = JSONAttribute()
    time_off = JSONAttribute(default=list)
    secret_code = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    revision = NumberAttribute(null=True)  # bumped by every backoffice edit


class ServiceItem(Item, discriminator="service"):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    category = UnicodeAttribute(default="")
    duration_minutes = NumberAttribute()
    buffer_before_minutes = NumberAttribute(default=0)
    buffer_after_minutes = NumberAttribute(default=0)
    price = UnicodeAttribute()  # a Decimal string: money is never a float
    status = UnicodeAttribute()
    revision = NumberAttribute(null=True)  # bumped by every backoffice edit
    requires_desk = BooleanAttribute(null=True)  # domain/desks.py


class DeskItem(Item, discriminator="desk"):
    """A desk (domain/desks.py), in the catalog's partition: availability reads it in the same query."""

    id = UnicodeAttribute()
    number = NumberAttribute()
    service_ids = ListAttribute(of=UnicodeAttribute, default=list)
    hours = JSONAttribute()
    operator_id = UnicodeAttribute(null=True)
    description = UnicodeAttribute(default="")
    open = BooleanAttribute(default=True)
    holidays = JSONAttribute(default=list)
    revision = NumberAttribute(null=True)  # bumped by every backoffice edit


class DeskNumberItem(Item, discriminator="desk_number"):
    """Claims a desk number in a business: put only if absent, so two desks can never share one."""

    desk_id = UnicodeAttribute()


class ClientItem(Item, discriminator="client"):
    id = UnicodeAttribute()
    first_name = UnicodeAttribute()
    last_name = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    notes = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()
    mobile = UnicodeAttribute(null=True)
    fiscal_code = UnicodeAttribute(null=True)
    revision = NumberAttribute(null=True)  # bumped by every backoffice edit: concurrent edits cannot both land
    updated_at = UTCDateTimeAttribute(null=True)
    erased_at = UTCDateTimeAttribute(null=True)  # pseudonymised (services/privacy.py)


class ContactItem(Item, discriminator="contact"):
    client_id = UnicodeAttribute()


class AppointmentItem(Item, discriminator="appointment"):
    reference = UnicodeAttribute()
    business_id = UnicodeAttribute()
    client_id = UnicodeAttribute()
    service_id = UnicodeAttribute()
    staff_id = UnicodeAttribute()
    start = UTCDateTimeAttribute()
    end = UTCDateTimeAttribute()
    busy_start = UTCDateTimeAttribute()
    busy_end = UTCDateTimeAttribute()
    status = UnicodeAttribute()
    source = UnicodeAttribute()
    price = UnicodeAttribute()
    currency = UnicodeAttribute()
    notes = UnicodeAttribute(default="")
    exclusive = BooleanAttribute(default=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    # Reminders (jobs/reminders.py). Every change puts the item afresh, which clears these: the change's
    # outbox item schedules them again from the new state, once per version (`reminders_armed`).
    reminders_armed = BooleanAttribute(null=True)
    reminder_leads = ListAttribute(of=NumberAttribute, null=True)  # minutes, longest first
    reminder_lead = NumberAttribute(null=True)  # minutes: the reminder now waiting in the `due` index
    client_words = ListAttribute(of=UnicodeAttribute, null=True)  # its client, for search (domain/search.py)
    client_contacts = ListAttribute(of=UnicodeAttribute, null=True)
    desk_id = UnicodeAttribute(null=True)  # the desk it takes (domain/desks.py)
    operator_id = UnicodeAttribute(null=True)  # that desk's operator, when another professional works there
    events = JSONAttribute(null=True)  # what the change that wrote this version did (domain/events.py);
    # reminder bookkeeping removes them, so the stream sees them once, on the change's own record
    plan = JSONAttribute(null=True)  # the plan unit it holds (domain/plans.py PlanHold)


class LockItem(Item, discriminator="lock"):
    """A resource's 5-minute unit. Exclusive holders add themselves only while `owners` is absent;
    appointments booked on top of others (total availability, overrides) add themselves anyway."""

    owners = UnicodeSetAttribute(null=True)
    # A freed time held for one waiting-list request (domain/openings.py): no exclusive holder may add
    # itself until `held_until` (epoch seconds) has passed, except the appointment that takes the hold over.
    held_by = UnicodeAttribute(null=True)
    held_until = NumberAttribute(null=True)


class BusyDayItem(Item, discriminator="busy"):  # busy_days.BUSY_KIND
    """One resource's busy time on one UTC day: an attribute per appointment, named by its reference
    (repositories/busy_days.py). The model has no fixed attributes beyond the keys."""


class ActivityItem(Item, discriminator="activity"):
    """Something a client did to a booking (cancelled, rescheduled), shown in the backoffice."""

    reference = UnicodeAttribute()
    details = JSONAttribute()
    at = UTCDateTimeAttribute()


class SearchEntryItem(Item, discriminator="search_entry"):
    """One word a client or an appointment can be found by, with all its words (domain/search.py),
    written in the same transaction as what it comes from."""

    target = UnicodeAttribute()
    words = ListAttribute(of=UnicodeAttribute, default=list)
    contacts = ListAttribute(of=UnicodeAttribute, null=True)


class SearchWordItem(Item, discriminator="search_word"):
    """The index before prefix search (whole words, client ids only): only `jobs/reindex.py` reads it,
    to delete it."""

    client_id = UnicodeAttribute()


class ClientAppointmentItem(Item, discriminator="client_appointment"):
    """Links a client to one of their appointments (written once, when it is booked): their history."""

    client_id = UnicodeAttribute()
    reference = UnicodeAttribute()


class AccountItem(Item, discriminator="account"):
    """A staff login, keyed by its Cognito subject: what the authorizer reads, in one GetItem."""

    business_id = UnicodeAttribute()
    staff_id = UnicodeAttribute()
    email = UnicodeAttribute()
    level = NumberAttribute()
    signed_out_at = NumberAttribute(null=True)  # epoch seconds of the last global sign-out


class StaffAccountItem(Item, discriminator="staff_account"):
    """The same login seen from its business (listing staff with their access, changing a level)."""

    staff_id = UnicodeAttribute()
    sub = UnicodeAttribute()
    email = UnicodeAttribute()
    level = NumberAttribute()
    created_at = UTCDateTimeAttribute()


class AuditItem(Item, discriminator="audit"):
    """Who changed what in the backoffice, when, with the changed fields before and after."""

    at = UTCDateTimeAttribute()
    actor_id = UnicodeAttribute()
    actor_email = UnicodeAttribute(default="")
    actor_level = NumberAttribute()
    action = UnicodeAttribute()
    target_kind = UnicodeAttribute()
    target_id = UnicodeAttribute()
    before = JSONAttribute(null=True)
    after = JSONAttribute(null=True)
    events = JSONAttribute(null=True)  # the change's domain events (domain/audit.py), read from its INSERT record


class OutboxItem(Item, discriminator="outbox"):
    """The messages one booking change causes, written in the change's own transaction.

    `appointment` is the appointment as the change left it, so a late retry still says what happened
    then. `deliveries` holds one entry per channel: {"status", "to", "provider_id", "error", ...}.
    """

    id = UnicodeAttribute()
    business_id = UnicodeAttribute()
    reference = UnicodeAttribute()
    client_id = UnicodeAttribute()
    message_kind = UnicodeAttribute(null=True)  # None: nothing to say, only reminders to schedule
    appointment = JSONAttribute()
    previous_start = UTCDateTimeAttribute(null=True)  # rescheduled: the old time
    created_at = UTCDateTimeAttribute()
    status = UnicodeAttribute()  # pending | sending | done | failed
    attempts = NumberAttribute(default=0)
    claim = UnicodeAttribute(null=True)  # the token of the run that holds it while sending
    deliveries = JSONAttribute(default=dict)
    finished_at = UTCDateTimeAttribute(null=True)
    offer = JSONAttribute(null=True)  # waiting-list offers: who and which round (domain/offer_messages.py)


class MessageLogItem(Item, discriminator="message_log"):
    """One message to one client on one channel, as it finally went (sent, failed or skipped)."""

    outbox_id = UnicodeAttribute()
    reference = UnicodeAttribute()
    client_id = UnicodeAttribute()
    message_kind = UnicodeAttribute()
    channel = UnicodeAttribute()
    status = UnicodeAttribute()  # sent | failed | skipped
    to = UnicodeAttribute(null=True)
    at = UTCDateTimeAttribute()
    attempts = NumberAttribute(default=0)
    segments = NumberAttribute(null=True)
    encoding = UnicodeAttribute(null=True)
    provider_id = UnicodeAttribute(null=True)
    error = UnicodeAttribute(null=True)


class MessageCountItem(Item, discriminator="message_count"):
    """Messages of one kind on one channel on one local day of the business: reports read these."""

    day = UnicodeAttribute()
    message_kind = UnicodeAttribute()
    channel = UnicodeAttribute()
    sent = NumberAttribute(default=0)
    failed = NumberAttribute(default=0)
    skipped = NumberAttribute(default=0)
    unconfirmed = NumberAttribute(default=0)  # sent, but the provider's answer was lost
    segments = NumberAttribute(default=0)


class ReportCountItem(Item, discriminator="report_count"):
    """The counters of one local day or month, one dimension value (repositories/aggregates.py)."""

    period = UnicodeAttribute()  # "YYYY-MM-DD" or "YYYY-MM"
    dimension = UnicodeAttribute()
    value = UnicodeAttribute()
    booked = NumberAttribute(default=0)
    completed = NumberAttribute(default=0)
    minutes = NumberAttribute(default=0)
    revenue_cents = NumberAttribute(default=0)
    cancelled = NumberAttribute(default=0)
    no_show = NumberAttribute(default=0)
    commission_cents = NumberAttribute(default=0)
    booked_minutes = NumberAttribute(default=0)  # appointments that held their professional's time
    late_cancelled = NumberAttribute(default=0)  # cancelled with less notice than the business asks
    late_cancel_fee_cents = NumberAttribute(default=0)  # the fees due, by the settings when it was counted
    no_show_fee_cents = NumberAttribute(default=0)
    commission_base_cents = NumberAttribute(default=0)  # dimension "tiers": the revenue a tiered rule's bands
    commission_cost_cents = NumberAttribute(default=0)  # apply to, and the cost taken off after


class ReportCountedItem(Item, discriminator="report_counted"):
    """What one appointment adds to the counters now, and the stream record that last changed it."""

    reference = UnicodeAttribute()
    sequence = UnicodeAttribute()  # the stream's sequence number, zero-padded so strings sort as numbers
    tally = JSONAttribute()
    commission_rule = JSONAttribute(null=True)  # the rule frozen when it was counted as completed


class ReportSettingsItem(Item, discriminator="report_settings"):
    """The business's parameters of the time-saved simulation, and its late-cancellation and no-show fees."""

    phone_booking_minutes = NumberAttribute()
    staff_hourly_cost = UnicodeAttribute(null=True)  # a Decimal string
    updated_at = UTCDateTimeAttribute()
    late_cancel_fee = UnicodeAttribute(null=True)  # Decimal strings; None: no fee
    late_cancel_hours = NumberAttribute(null=True)
    no_show_fee = UnicodeAttribute(null=True)


class CommissionRulesItem(Item, discriminator="commission_rules"):
    """The business's commission rules (domain/commissions.py), in the order staff listed them."""

    rules = JSONAttribute()
    updated_at = UTCDateTimeAttribute()


class ReportClientItem(Item, discriminator="report_client"):
    """One client's appointments as the clients report needs them, and what they add to the client maps
    (domain/client_reports.py); `version` guards the read-modify-write."""

    client_id = UnicodeAttribute()
    visits = JSONAttribute()  # reference -> Visit.to_json()
    tally = JSONAttribute()  # local day -> figures
    version = NumberAttribute()


class ReportClientMapItem(Item, discriminator="report_clients"):
    """A local day's or month's clients: `new_clients`, `rebooked`, and per client `v:<id>` (visits) and
    `r:<id>` (hundredths spent), attributes named at write time (repositories/client_aggregates.py)."""

    period = UnicodeAttribute()
    new_clients = NumberAttribute(default=0)
    rebooked = NumberAttribute(default=0)


class ReportBusinessItem(Item, discriminator="report_business"):
    """A business whose appointments the reports count (REPORTS#BUSINESSES / <business id>): the nightly
    reconciliation's list, so that it never scans the table for businesses."""

    business_id = UnicodeAttribute()
    last_day = UnicodeAttribute()  # the last UTC day the stream counted something of it


class UndeliverableItem(Item, discriminator="undeliverable"):
    """An email address that bounced or complained, or a phone that opted out: never used again
    for anyone; a client whose contact staff change to another address is reachable again."""

    channel = UnicodeAttribute()
    address = UnicodeAttribute()
    reason = UnicodeAttribute()  # bounce | complaint | opt_out
    at = UTCDateTimeAttribute()
    detail = UnicodeAttribute(default="")


class DoNotContactItem(Item, discriminator="do_not_contact"):
    """One keyed hash of an erased client's email or phone (domain/do_not_contact.py): never the address."""

    reason = UnicodeAttribute()  # erased | retention
    at = UTCDateTimeAttribute()


class ClientSeenItem(Item, discriminator="client_seen"):
    """When a client was last seen: their latest appointment start (or their creation). Only raised, never
    lowered; `erased` stops it for good (repositories/retention.py)."""

    client_id = UnicodeAttribute()
    last_seen = UTCDateTimeAttribute(null=True)
    erased = BooleanAttribute(null=True)


class PrivacySettingsItem(Item, discriminator="privacy_settings"):
    """A business's retention: clients idle more than `retention_months` are pseudonymised (None: off). The
    same item under PRIVACY#RETENTION lists the businesses that have it on."""

    business_id = UnicodeAttribute()
    retention_months = NumberAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


class ThrottleItem(Item, discriminator="throttle"):
    failures = ListAttribute(of=NumberAttribute, default=list)  # epoch seconds of wrong codes


class NotificationSettingsItem(Item, discriminator="notification_settings"):
    """What a business sends and when (repositories/notification_settings.py has the keys)."""

    preferences = JSONAttribute()
    updated_at = UTCDateTimeAttribute()


class CustomTextItem(Item, discriminator="custom_text"):
    """A business's own text for one message kind on one channel (a Jinja2 template, checked on save)."""

    message_kind = UnicodeAttribute()
    channel = UnicodeAttribute()
    body = UnicodeAttribute()
    subject = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


class PlanTemplateItem(Item, discriminator="plan_template"):
    """A plan the salon sells (domain/plans.py); in the catalog's partition, so a booking knows from the
    catalog query alone whether the business sells plans at all."""

    id = UnicodeAttribute()
    name = UnicodeAttribute()
    items = JSONAttribute()
    price = UnicodeAttribute()  # a Decimal string
    validity_amount = NumberAttribute()
    validity_unit = UnicodeAttribute()
    active = BooleanAttribute(default=True)
    revision = NumberAttribute(null=True)


class SoldPlanItem(Item, discriminator="sold_plan"):
    """A plan sold to a client with its own copy of the terms. `available` (per item) is the ledger's running
    sum, kept here only so that a hold can be conditional ("never below zero"); `due_*` wait for expiry."""

    id = UnicodeAttribute()
    client_id = UnicodeAttribute()
    template_id = UnicodeAttribute()
    terms = JSONAttribute()
    start = UnicodeAttribute()  # local date
    end = UnicodeAttribute()  # last valid local date
    sold_at = UTCDateTimeAttribute()
    sold_by = UnicodeAttribute()
    available = ListAttribute(of=NumberAttribute)
    expired = BooleanAttribute(default=False)
    # agenda index: BIZ#<b>#PLANEND by last valid day, the period's deferred revenue reads the plans still valid


class PlanLedgerItem(Item, discriminator="plan_ledger"):
    """One entry of a sold plan's ledger; never updated or deleted."""

    plan_id = UnicodeAttribute()
    item = NumberAttribute()
    entry = UnicodeAttribute()  # sale | hold | release | use | expire | adjustment
    units = NumberAttribute()
    at = UTCDateTimeAttribute()
    by = UnicodeAttribute()
    reference = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(default="")
    paid = UnicodeAttribute(null=True)  # a sale's first entry: the price paid, as a decimal string
    # agenda index: BIZ#<b>#PLANLOG by instant, the period's figures read one business's entries of a period


class PlanSettingsItem(Item, discriminator="plan_settings"):
    late_rule = UnicodeAttribute(default="release")
    nudges = BooleanAttribute(default=False)
    online_payment = BooleanAttribute(default=False)
    updated_at = UTCDateTimeAttribute(null=True)
    nudge_days = ListAttribute(of=NumberAttribute, null=True)  # None: the default (30, 7)


class MergeTaskItem(Item, discriminator="merge_task"):
    """Staff should merge two client records: one booker's email found one, their phone the other."""

    client_ids = ListAttribute(of=UnicodeAttribute)
    reference = UnicodeAttribute()
    at = UTCDateTimeAttribute()


class ClosureItem(Item, discriminator="closure"):
    """A closure of the whole business (domain/special_days.py), with the catalog: availability reads it."""

    id = UnicodeAttribute()
    name = UnicodeAttribute()
    first_day = UnicodeAttribute()  # YYYY-MM-DD
    last_day = UnicodeAttribute()
    yearly = BooleanAttribute(default=False)


class SpecialHoursItem(Item, discriminator="special_hours"):
    """One date's hours of the business or one resource, replacing the week's; one per date and scope."""

    id = UnicodeAttribute()
    day = UnicodeAttribute()  # YYYY-MM-DD
    hours = JSONAttribute()  # [["10:00", "14:00"], ...]; [] is closed
    resource_kind = UnicodeAttribute()  # "business", "staff", "desk"
    resource_id = UnicodeAttribute(default="")
    name = UnicodeAttribute(default="")


class IdempotencyRecord(Model):
    """Powertools' idempotency records (its default attribute names); declared here so the local
    stack and infra/ create the table from one definition. Powertools itself reads and writes it."""

    class Meta:
        table_name = settings().idempotency_table_name
        billing_mode = "PAY_PER_REQUEST"

    id = UnicodeAttribute(hash_key=True)
    expiration = TTLAttribute(null=True)


def table_definition() -> dict:
    """Keys and indexes of the table, as CloudFormation spells them (for infra/ and its drift test)."""
    keys = [("pk", "HASH"), ("sk", "RANGE")]
    index_keys = [("agenda_pk", "HASH"), ("agenda_sk", "RANGE")]
    due_keys = [("due_pk", "HASH"), ("due_sk", "RANGE")]
    return {
        "KeySchema": [{"AttributeName": n, "KeyType": t} for n, t in keys],
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": "S"} for n, _ in keys + index_keys + due_keys],
        "GlobalSecondaryIndexes": [{
            "IndexName": index.Meta.index_name,
            "KeySchema": [{"AttributeName": n, "KeyType": t} for n, t in index_key_names],
            "Projection": {"ProjectionType": "ALL"},
        } for index, index_key_names in ((AgendaIndex, index_keys), (DueIndex, due_keys))],
        "TimeToLiveAttribute": "expires_at",
    }


class PlanNudgeItem(Item, discriminator="plan_nudge"):
    """A plan nudge claimed (pk BIZ#<b>#NUDGE, sk SENT#<plan>#<kind>#<threshold>): written once, never again."""

    client_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()


class PlanNudgeWaitItem(Item, discriminator="plan_nudge_wait"):
    """A "one session left" nudge queued by the stream (sk WAIT#<plan>), found by the hourly job in the due
    index (DUE#PLANLAST#<day>) once the business's daytime opens; deleted once handled."""

    client_id = UnicodeAttribute()
    plan_id = UnicodeAttribute()
    due_at = UTCDateTimeAttribute()


class PlanNudgeCapItem(Item, discriminator="plan_nudge_cap"):
    """A client's last plan nudge (sk CLIENT#<id>): the next one waits 7 days (domain/plan_nudges.py CAP)."""

    last_at = UTCDateTimeAttribute()
