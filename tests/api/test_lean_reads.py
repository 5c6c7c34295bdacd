"""The availability request's two reads, sent as signed HTTP by hand (repositories/lean_reads.py), and the
catalog a warm function keeps while DynamoDB answers the same bytes (store.catalog)."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from bench.counting import counting_dynamodb_calls
from chalicelib.repositories.lean_reads import LeanReads, lean_reads
from chalicelib.repositories.tables import Item
from chalicelib.repositories.transactions import connection

AT = datetime(2026, 3, 23, 7, 0, 5, tzinfo=timezone.utc)


@pytest.mark.parametrize("endpoint, token", [
    (None, "a-session-token"),  # the regional endpoint, Lambda's temporary credentials
    ("http://127.0.0.1:8000", None),  # DynamoDB Local, long-lived keys
])
def test_the_signature_is_botocores(monkeypatch, endpoint, token):
    import boto3
    import botocore.auth

    client = boto3.client("dynamodb", region_name="eu-west-1", endpoint_url=endpoint, aws_access_key_id="AKIDEXAMPLE",
                          aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", aws_session_token=token)
    body = json.dumps({"TableName": "turno", "KeyConditionExpression": "pk = :pk",
                       "ExpressionAttributeValues": {":pk": {"S": "BIZ#b ñ"}}}, separators=(",", ":")).encode()
    ours = LeanReads(client).signed_headers("Query", body, now=AT)

    request = AWSRequest("POST", client.meta.endpoint_url + "/", data=body,
                         headers={"Content-Type": "application/x-amz-json-1.0",
                                  "X-Amz-Target": "DynamoDB_20120810.Query"})
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: AT.replace(tzinfo=None))
    SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token), "dynamodb",
              "eu-west-1").add_auth(request)
    assert ours["Authorization"] == request.headers["Authorization"]
    assert ours.get("X-Amz-Security-Token") == request.headers.get("X-Amz-Security-Token")
    assert ours["X-Amz-Date"] == request.headers["X-Amz-Date"]


def _query(business_id: str) -> dict:
    return {"TableName": Item.Meta.table_name, "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"BIZ#{business_id}"}}}


def test_a_read_answers_as_botocores_and_counts_as_one_call(salon):
    client = connection().client
    with counting_dynamodb_calls() as calls:
        lean = lean_reads(client).query(**_query(salon.id))
    assert [str(c) for c in calls] == [f"Query({Item.Meta.table_name})"]
    assert lean["Items"] == client.query(**_query(salon.id))["Items"]


@pytest.mark.parametrize("status, headers, body", [
    (400, {}, b'{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}'),
    (200, {"x-amz-crc32": "1"}, b'{"Items":[],"Count":0,"ScannedCount":0}'),  # damaged on the way
])
def test_anything_but_a_clean_200_goes_to_botocores_call(salon, status, headers, body):
    client = connection().client
    refused = []

    def first_answer(request, **_):
        if not refused:
            refused.append(request)
            return AWSResponse(request.url, status, headers, _Raw(body))
        return None  # moto answers the rest

    client.meta.events.register_first("before-send.dynamodb", first_answer)
    try:
        with counting_dynamodb_calls() as calls:
            found = lean_reads(client).query(**_query(salon.id))
    finally:
        client.meta.events.unregister("before-send.dynamodb", first_answer)
    assert len(found["Items"]) == 1 + 4 + 2  # the profile, four services, two professionals
    assert [c.error for c in calls] == ["not answered", None]  # the lean exchange, then botocore's call


def test_botocores_error_is_what_a_failed_read_raises(aws):
    with pytest.raises(ClientError) as raised:
        lean_reads(connection().client).query(**{**_query("x"), "TableName": "no-such-table"})
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_warm_function_keeps_the_catalog_while_its_bytes_are_the_same(store, salon):
    first = store.catalog(salon.id)
    assert store.catalog(salon.id) is first  # nothing changed: the same catalog, not made again

    # when a professional is renamed
    store.save_staff(salon.id, replace(first.member("stf_ana"), name="Ana María"))

    # then the next read sees it
    assert store.catalog(salon.id).member("stf_ana").name == "Ana María"


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_):
        yield self.body
