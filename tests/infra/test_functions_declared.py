"""No function ships without a policy: every Lambda the app defines has an entry in
infra/turno_infra/access.py (fast: reads the app in the main venv, no synthesis)."""
from __future__ import annotations

import re
from dataclasses import replace
from types import SimpleNamespace

import pytest

from chalice.app import DynamoDBEventConfig, ScheduledEventConfig, SNSEventConfig, SQSEventConfig

from chalicelib.repositories import tables as models

from .conftest import REPO, access, tables


def defined_functions() -> dict[str, str]:
    """Chalice's name of each Lambda the app builds -> what invokes it."""
    from app import app

    found = {"api_handler": "api"} if app.routes else {}
    found.update({auth.name: "authorizer" for auth in app.builtin_auth_handlers})
    for source in app.event_sources:
        found[source.name] = type(source).__name__
    found.update({f.name: "lambda_function" for f in app.pure_lambda_functions})
    return found


def test_every_function_the_app_defines_has_grants():
    defined = defined_functions()
    assert {"api_handler", "staff"} <= set(defined)
    missing = sorted(set(defined) - set(access.FUNCTIONS))
    assert not missing, (f"the app defines {missing} with no entry in infra/turno_infra/access.py: "
                         "add its grants there (and its expected statements in tests/infra/test_template.py)")
    stale = sorted(set(access.FUNCTIONS) - set(defined))
    assert not stale, f"infra/turno_infra/access.py grants {stale}, which the app no longer defines"


def test_event_driven_functions_are_asynchronous_or_read_a_stream_and_routes_synchronous():
    from app import app

    streamed = {spec.key for spec in tables.TABLES if spec.stream}
    for source in app.event_sources:
        grants = access.FUNCTIONS[source.name]
        if isinstance(source, DynamoDBEventConfig):
            assert grants.invocation is access.Invocation.STREAM, source.name
            assert grants.stream in streamed, f"{source.name} must name a table with a stream ({streamed})"
            continue
        if isinstance(source, SQSEventConfig):
            assert grants.invocation is access.Invocation.QUEUE, source.name
            assert grants.queue and grants.stream is None, f"{source.name} must name the stack's queue it reads"
            continue
        assert grants.invocation is access.Invocation.ASYNC, source.name
        assert grants.stream is None and grants.queue is None, source.name
        if isinstance(source, SNSEventConfig):
            assert grants.sns_topic, f"{source.name} must name the stack's topic it reads"
        else:
            assert isinstance(source, ScheduledEventConfig), \
                f"infra handles schedules, SNS, table streams and work queues, not {source}"
    for name in ["api_handler", *(auth.name for auth in app.builtin_auth_handlers)]:
        assert access.FUNCTIONS[name].invocation is access.Invocation.SYNC, name


def test_the_table_change_function_reads_the_main_tables_stream_with_the_outbox_jobs_grants():
    """It sends new outbox messages as the outbox job does: the same table, email and SMS grants."""
    grants = access.FUNCTIONS["on_table_change"]
    outbox = access.FUNCTIONS["deliver_outbox"]
    assert (grants.invocation, grants.stream) == (access.Invocation.STREAM, "main")
    assert (grants.send_email, grants.send_sms) == (outbox.send_email, outbox.send_sms)
    assert grants.tables.keys() == outbox.tables.keys()
    main, sent = grants.tables["main"], outbox.tables["main"]
    # the outbox's access, and the agenda index for the waiting list's open requests (offers of freed time)
    assert main.actions == sent.actions and main.indexes == {**sent.indexes, "agenda": ("dynamodb:Query",)}
    assert grants.invocation.has_failure_queue and not access.Invocation.SYNC.has_failure_queue


# -- tables: the stream is the model's, and the drift check sees it ---------------------------------
def test_the_main_tables_stream_is_its_models_view_type():
    shapes = tables.shapes(models)
    assert shapes["main"]["StreamViewType"] == models.Item.Meta.stream_view_type == "NEW_AND_OLD_IMAGES"
    assert shapes["idempotency"]["StreamViewType"] is None
    assert [spec.key for spec in tables.TABLES if spec.stream] == ["main"]


def test_a_definition_that_spells_another_stream_than_its_model_stops_synthesis():
    module = SimpleNamespace(Item=models.Item, IdempotencyRecord=models.IdempotencyRecord,
                             table_definition=lambda: {**models.table_definition(), "StreamViewType": "KEYS_ONLY"})
    with pytest.raises(RuntimeError, match="disagree"):
        tables.shapes(module)
    agreeing = SimpleNamespace(Item=models.Item, IdempotencyRecord=models.IdempotencyRecord,
                               table_definition=lambda: {**models.table_definition(),
                                                         "StreamViewType": models.Item.Meta.stream_view_type})
    assert tables.shapes(agreeing)["main"] == tables.shapes(models)["main"]


def test_a_read_stream_the_model_does_not_turn_on_stops_synthesis(monkeypatch):
    monkeypatch.delattr(models.Item.Meta, "stream_view_type")
    with pytest.raises(RuntimeError, match="stream_view_type"):
        tables.shapes(models)


def test_a_model_stream_that_no_function_reads_stops_synthesis(monkeypatch):
    monkeypatch.setattr(tables, "TABLES", tuple(replace(spec, stream=False) for spec in tables.TABLES))
    with pytest.raises(RuntimeError, match="stream_view_type"):
        tables.shapes(models)


def test_logical_ids_are_the_ones_chalice_gives_its_functions():
    from chalice.utils import to_cfn_resource_name

    assert access.logical_id("api_handler") == "APIHandler"  # Chalice's fixed name for the route handler
    for name in set(defined_functions()) - {"api_handler"}:
        assert access.logical_id(name) == to_cfn_resource_name(name)


def _code() -> str:
    return "\n".join(p.read_text() for p in (REPO / "chalicelib").rglob("*.py"))


def test_the_api_is_granted_exactly_the_cognito_admin_calls_the_code_makes():
    """Admin* calls need IAM (the user-facing ones authenticate with the caller's token and need none):
    a new one without a grant would only fail on AWS, with AccessDenied."""
    called = {"cognito-idp:Admin" + "".join(w.title() for w in name.split("_"))
              for name in re.findall(r"\.admin_([a-z_]+)\(", _code())}
    assert called, "the backoffice creates staff logins"
    assert set(access.FUNCTIONS["api_handler"].user_pool) == called


def test_every_aws_client_the_code_builds_is_one_infra_grants():
    """DynamoDB (through PynamoDB), Cognito, SES v2, SNS and SQS (work queues) are granted in access.py; another
    service needs its grants (and this list) first."""
    services = set(re.findall(r"""boto3\.client\(\s*["']([a-z0-9-]+)["']""", _code()))
    assert services <= {"cognito-idp", "sesv2", "sns", "dynamodb", "sqs"}, services


def test_condition_checks_in_transactions_are_granted_only_when_the_code_makes_them():
    """A ConditionCheck inside TransactWriteItems needs dynamodb:ConditionCheckItem; conditional
    Put/Update/Delete items need only their own action."""
    checks = bool(re.search(r"\.condition_check\(", _code()))
    granted = "dynamodb:ConditionCheckItem" in access.FUNCTIONS["api_handler"].tables["main"].actions
    assert granted == checks


def test_the_sweep_fans_out_through_the_sweep_queue():
    """The schedule only lists the businesses and sends to the queue; the queue's function does the sweeping."""
    schedule, unit = access.FUNCTIONS["sweep_dormant_clients"], access.FUNCTIONS["sweep_business"]
    assert (schedule.invocation, schedule.sends_to, schedule.send_email, schedule.send_sms) == (
        access.Invocation.ASYNC, ("sweep",), False, False)
    assert schedule.tables["main"].actions == ("dynamodb:Query",) and not schedule.tables["main"].indexes
    assert (unit.invocation, unit.queue, unit.sends_to) == (access.Invocation.QUEUE, "sweep", ())
    assert not access.Invocation.QUEUE.has_failure_queue  # its failures stay in the queue's dead letters
