"""The test harness itself (tests/moto_session.py): a reset leaves nothing of a test behind, a rehearsed
action comes back whole, and moto's transactions still roll back with one backup per table."""
from __future__ import annotations

from dataclasses import replace

import pytest
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.repositories.transactions import connection as _connection
from chalicelib.repositories.tables import SlugItem
from tests.moto_session import sent_messages, sms_messages

SENDER = "no-reply@turno.example"


def test_a_reset_leaves_no_item_user_mail_or_sms_behind(moto_session, aws, ses):
    SlugItem(pk="SLUG#left-over", sk="SLUG", business_id="biz_x").save()
    moto_session.cognito.admin_create_user(UserPoolId=moto_session.pool_id, Username="left@over.example",
                                           MessageAction="SUPPRESS")
    ses.client("sesv2", region_name="eu-west-1").send_email(
        FromEmailAddress=SENDER, Destination={"ToAddresses": ["a@example.com"]},
        Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}}})
    ses.client("sns", region_name="eu-west-1").publish(PhoneNumber="+34600000000", Message="m")
    assert sent_messages() and sms_messages()

    moto_session.reset()

    assert SlugItem.count("SLUG#left-over") == 0
    assert moto_session.cognito.list_users(UserPoolId=moto_session.pool_id)["Users"] == []
    assert sent_messages() == [] and sms_messages() == {}


def test_the_salon_world_is_the_same_whatever_the_test_before_did(moto_session, salon, store):
    store.save_business(replace(salon, name="Changed"))
    assert store.catalog(salon.id).business.name == "Changed"
    again = moto_session.reset("salon")["salon"]
    assert store.catalog(again.id).business.name == "Salón Lucía"


def test_a_rehearsed_action_is_undone_and_applied_again_whole(moto_session, aws):
    def sign_up() -> str:
        moto_session.cognito.admin_create_user(UserPoolId=moto_session.pool_id, Username="new@user.example",
                                               MessageAction="SUPPRESS")
        SlugItem(pk="SLUG#rehearsed", sk="SLUG", business_id="biz_r").save()
        return "done"

    result, changes = moto_session.rehearse(sign_up)
    assert result == "done" and SlugItem.count("SLUG#rehearsed") == 0
    assert moto_session.cognito.list_users(UserPoolId=moto_session.pool_id)["Users"] == []

    moto_session.apply(changes)
    assert SlugItem.get("SLUG#rehearsed", "SLUG").business_id == "biz_r"
    [user] = moto_session.cognito.list_users(UserPoolId=moto_session.pool_id)["Users"]
    assert user["Username"] == "new@user.example"


def test_a_failed_transaction_still_writes_nothing(aws):
    SlugItem(pk="SLUG#taken", sk="SLUG", business_id="biz_a").save()
    with pytest.raises(TransactWriteError):
        with TransactWrite(connection=_connection()) as transaction:
            transaction.save(SlugItem(pk="SLUG#first", sk="SLUG", business_id="biz_b"))
            transaction.save(SlugItem(pk="SLUG#second", sk="SLUG", business_id="biz_b"))
            transaction.save(SlugItem(pk="SLUG#taken", sk="SLUG", business_id="biz_b"),
                             condition=SlugItem.pk.does_not_exist())
    assert SlugItem.count("SLUG#first") == SlugItem.count("SLUG#second") == 0
    assert SlugItem.get("SLUG#taken", "SLUG").business_id == "biz_a"
