"""The marketing items of the one table (chalicelib/repositories/tables.py has the rest).

Keys (pk / sk):
  BIZ#<business>#MKT          CLIENT#<client id>      a client's visits and figures (ClientStatsItem);
                              also in the `agenda` index as BIZ#<business>#MKTLAST / <last visit>#<client id>
                              (sparse: only clients with a completed visit), so dormant clients are a range query
  BIZ#<business>#MKT          SETTINGS | SWEEP#<local day>   marketing settings; one sweep run per day
  MKT#SWEEP                   <business id>           businesses whose dormant-client sweep is on
  BIZ#<business>#CONSENT      <client id>             the latest consent per channel and purpose
  BIZ#<business>#CONSENTLOG#<client id>  <at>#<id>    every consent change, with its wording
  BIZ#<business>#CAMPAIGN     <campaign id>           a campaign (or a day's win-backs): texts, audience, counts
  BIZ#<business>#MKTOUT#<campaign id>  <client id>#<channel>  one marketing message: exactly once by its key;
                              waiting ones are in the `due` index (DUE#MKT#<UTC day>); every one in the
                              `agenda` index as BIZ#<business>#MKTOF#<client id> (export, erasure)
  BIZ#<business>#MKTCAP       <client id>             when the client last had a marketing message; win-backs
  BIZ#<business>#MKTUSAGE     <YYYY-MM>               marketing SMS sent in a month (the quota)
  BIZ#<business>#MKTATTR#<campaign id>  <reference>  a booking made within 14 days of the campaign's message
  SMSTO#<e164>                MKT                     the business that last sent this number a marketing SMS
  SENT#<provider message id>  MKT                     which marketing message the provider's id is (its delivery
                              events find it by key); expires after 30 days
"""
from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from .tables import Item


class ClientStatsItem(Item, discriminator="client_stats"):
    """Each of the client's appointments as marketing counts it (`visits`: reference -> [sequence, ...]),
    with the figures the views filter on; `version` makes concurrent stream deliveries take turns."""

    client_id = UnicodeAttribute()
    visits = JSONAttribute(default=dict)
    completed = NumberAttribute(default=0)
    spend = UnicodeAttribute(default="0")  # a Decimal string
    last_visit = UnicodeAttribute(null=True)  # local date
    version = NumberAttribute(default=0)


class MarketingSettingsItem(Item, discriminator="marketing_settings"):
    settings = JSONAttribute()
    updated_at = UTCDateTimeAttribute()


class SweepBusinessItem(Item, discriminator="sweep_business"):
    business_id = UnicodeAttribute()


class SweepRunItem(Item, discriminator="sweep_run"):
    """One business's sweep of one local day: claimed by one run at a time, done once."""

    status = UnicodeAttribute()  # running | done
    lease_until = UTCDateTimeAttribute()
    claim = UnicodeAttribute(null=True)  # the running claim's token: only its run gives it back
    report = JSONAttribute(default=dict)


class ConsentItem(Item, discriminator="consent"):
    latest = JSONAttribute(default=list)
    version = NumberAttribute(default=0)


class ConsentLogItem(Item, discriminator="consent_log"):
    change = JSONAttribute()


class CampaignItem(Item, discriminator="campaign"):
    id = UnicodeAttribute()
    campaign_kind = UnicodeAttribute()  # campaign | winback
    name = UnicodeAttribute()
    texts = JSONAttribute()  # {"email_subject", "email_body", "sms_body"}: only the channels it uses
    audience = JSONAttribute()  # the view and its parameters
    status = UnicodeAttribute()  # draft | sending | sent
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    counts = JSONAttribute(default=dict)  # recipients per channel and exclusions per reason, fixed at send


class MarketingMessageItem(Item, discriminator="marketing_message"):
    business_id = UnicodeAttribute()
    campaign_id = UnicodeAttribute()
    client_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    status = UnicodeAttribute()  # pending | sending | sent | failed | skipped | unconfirmed
    reason = UnicodeAttribute(null=True)  # why skipped or failed
    claim = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    to = UnicodeAttribute(null=True)
    provider_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    delivery = UnicodeAttribute(null=True)  # what the provider reported after sending: delivered | failed
    delivery_reason = UnicodeAttribute(null=True)  # e.g. bounce Permanent/General (no address: it may be erased)
    delivery_at = UTCDateTimeAttribute(null=True)


class SentMessageItem(Item, discriminator="marketing_sent"):
    """The provider's id of a sent marketing message -> the message's key (ids only, no personal data)."""

    business_id = UnicodeAttribute()
    campaign_id = UnicodeAttribute()
    client_id = UnicodeAttribute()
    channel = UnicodeAttribute()


class ContactCapItem(Item, discriminator="marketing_cap"):
    last_at = UTCDateTimeAttribute(null=True)
    last_campaign = UnicodeAttribute(null=True)
    winback_day = UnicodeAttribute(null=True)
    winback_absence = UnicodeAttribute(null=True)
    winback_count = NumberAttribute(default=0)


class UsageItem(Item, discriminator="marketing_usage"):
    sms = NumberAttribute(default=0)


class AttributionItem(Item, discriminator="marketing_attribution"):
    client_id = UnicodeAttribute()
    price = UnicodeAttribute()
    at = UTCDateTimeAttribute()


class SmsSenderItem(Item, discriminator="sms_sender"):
    business_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
