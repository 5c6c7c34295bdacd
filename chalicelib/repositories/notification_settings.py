"""A business's notification settings in DynamoDB: one partition, read in one query.

  BIZ#<business>#NOTIFY   SETTINGS                  toggles, reminder lead times, SMS mode
  BIZ#<business>#NOTIFY   TEXT#<kind>#<channel>     one custom text each

Custom texts are items of their own, so two people editing two different texts never overwrite
each other, and saving the preferences never touches a text. A business that never saved anything
gets the defaults (NotificationSettings()).
"""
from __future__ import annotations

from datetime import datetime

from ..domain.calendar import UTC
from ..domain.messages import Channel, MessageKind
from ..domain.notification_settings import CustomText, NotificationSettings
from .tables import CustomTextItem, Item, NotificationSettingsItem

SETTINGS_SK = "SETTINGS"


def _pk(business_id: str) -> str:
    return f"BIZ#{business_id}#NOTIFY"


def _text_sk(kind: MessageKind, channel: Channel) -> str:
    return f"TEXT#{MessageKind(kind).value}#{Channel(channel).value}"


def notification_settings(business_id: str) -> NotificationSettings:
    """The business's settings with its custom texts (one query); defaults where nothing is saved."""
    preferences: dict = {}
    texts = []
    for item in Item.query(_pk(business_id)):
        if isinstance(item, NotificationSettingsItem):
            preferences = item.preferences
        elif isinstance(item, CustomTextItem):
            texts.append(CustomText(MessageKind(item.message_kind), Channel(item.channel), item.body, item.subject))
    return NotificationSettings.from_json(preferences, texts)


def save_notification_settings(business_id: str, settings: NotificationSettings,
                               now: datetime | None = None) -> None:
    """Store the preferences (toggles, lead times, SMS mode); custom texts are saved one by one."""
    NotificationSettingsItem(pk=_pk(business_id), sk=SETTINGS_SK, preferences=settings.preferences_json(),
                             updated_at=now or datetime.now(UTC)).save()


def save_custom_text(business_id: str, text: CustomText, now: datetime | None = None) -> None:
    CustomTextItem(pk=_pk(business_id), sk=_text_sk(text.kind, text.channel), message_kind=text.kind.value,
                   channel=text.channel.value, body=text.body, subject=text.subject,
                   updated_at=now or datetime.now(UTC)).save()


def delete_custom_text(business_id: str, kind: MessageKind, channel: Channel) -> None:
    """Back to the default text; deleting a text that is not there is not an error."""
    CustomTextItem(pk=_pk(business_id), sk=_text_sk(kind, channel)).delete()
