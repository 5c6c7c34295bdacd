"""The synthesized CloudFormation: every function, table, index, schedule, queue, alarm and permission.

Read from the templates `make synth` would produce (one synthesis per session, see conftest.py), in
both stages. The expected IAM actions are written out here on purpose: widening a role is a change
to this file, reviewed as such.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from chalice.app import DynamoDBEventConfig, ScheduledEventConfig, SNSEventConfig, SQSEventConfig

from chalicelib.repositories import tables as models

from .conftest import REPO, STAGES, access, stages

pytestmark = pytest.mark.slow

TABLE_ACTIONS_BY_API = {"dynamodb:BatchGetItem", "dynamodb:DeleteItem",
                        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"}
TABLE_ACTIONS_BY_JOBS = {"dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem",
                         "dynamodb:Query", "dynamodb:UpdateItem"}
IDEMPOTENCY_ACTIONS = {"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}
LOGS = {"logs:CreateLogStream", "logs:PutLogEvents"}
STREAM_READ = {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}
# Function -> {statement sid: actions}. Every statement of every role, nothing more.
EXPECTED_GRANTS = {
    "APIHandler": {"WriteOwnLogs": LOGS, "MainTable": TABLE_ACTIONS_BY_API,
                   "MainTableAgendaIndex": {"dynamodb:Query"}, "IdempotencyTable": IDEMPOTENCY_ACTIONS,
                   "SendEmail": {"ses:SendEmail"},
                   "StaffPool": {"cognito-idp:AdminCreateUser", "cognito-idp:AdminDeleteUser",
                                 "cognito-idp:AdminGetUser", "cognito-idp:AdminSetUserPassword",
                                 "cognito-idp:AdminUserGlobalSignOut"}},
    "Staff": {"WriteOwnLogs": LOGS, "MainTable": {"dynamodb:GetItem"}},
    "DeliverOutbox": {"WriteOwnLogs": LOGS, "MainTable": TABLE_ACTIONS_BY_JOBS, "MainTableDueIndex": {"dynamodb:Query"},
                      "SendEmail": {"ses:SendEmail"}, "SendSms": {"sns:Publish"},
                      "SendFailedEvents": {"sqs:SendMessage"}},
    "SendReminders": {"WriteOwnLogs": LOGS, "MainTable": TABLE_ACTIONS_BY_JOBS, "MainTableDueIndex": {"dynamodb:Query"},
                      "SendEmail": {"ses:SendEmail"}, "SendSms": {"sns:Publish"},
                      "SendFailedEvents": {"sqs:SendMessage"}},
    "OnTableChange": {"WriteOwnLogs": LOGS, "MainTable": TABLE_ACTIONS_BY_JOBS, "MainTableDueIndex": {"dynamodb:Query"},
                      "MainTableAgendaIndex": {"dynamodb:Query"},  # the waiting list's open requests
                      "MainTableStream": STREAM_READ, "ListStreams": {"dynamodb:ListStreams"},
                      "SendEmail": {"ses:SendEmail"}, "SendSms": {"sns:Publish"},
                      "SendFailedEvents": {"sqs:SendMessage"}},
    "ReconcileReports": {"WriteOwnLogs": LOGS, "MainTable": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                                                            "dynamodb:UpdateItem"},
                         "MainTableAgendaIndex": {"dynamodb:Query"}, "SendFailedEvents": {"sqs:SendMessage"}},
    "OnSnsMessage": {"WriteOwnLogs": LOGS, "MainTable": {"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem",
                                                         "dynamodb:UpdateItem"},  # a marketing email's delivery
                     "SendFailedEvents": {"sqs:SendMessage"}},
    "DeliverMarketing": {"WriteOwnLogs": LOGS, "MainTable": TABLE_ACTIONS_BY_JOBS,
                         "MainTableDueIndex": {"dynamodb:Query"}, "SendEmail": {"ses:SendEmail"},
                         "SendSms": {"sns:Publish"}, "SendFailedEvents": {"sqs:SendMessage"}},
    # the sweep (issue 15): the schedule lists the businesses and sends one unit each to the sweep's queue,
    # whose function sweeps each business
    "SweepDormantClients": {"WriteOwnLogs": LOGS, "MainTable": {"dynamodb:Query"},
                            "SendToSweepQueue": {"sqs:SendMessage"}, "SendFailedEvents": {"sqs:SendMessage"}},
    "SweepBusiness": {"WriteOwnLogs": LOGS, "MainTable": TABLE_ACTIONS_BY_JOBS,
                      "MainTableAgendaIndex": {"dynamodb:Query"},
                      "ReadSweepQueue": {"sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
                                         "sqs:GetQueueAttributes", "sqs:ReceiveMessage"}},
    # retention (issue 15): erasures as the API makes them, nightly
    "ApplyRetention": {"WriteOwnLogs": LOGS, "MainTable": TABLE_ACTIONS_BY_API,
                       "MainTableAgendaIndex": {"dynamodb:Query"}, "SendFailedEvents": {"sqs:SendMessage"}},
    "ExpirePlans": {"WriteOwnLogs": LOGS, "MainTable": TABLE_ACTIONS_BY_JOBS, "MainTableDueIndex": {"dynamodb:Query"},
                    "SendFailedEvents": {"sqs:SendMessage"}},
    "ReleaseHolds": {"WriteOwnLogs": LOGS, "MainTable": TABLE_ACTIONS_BY_JOBS, "MainTableDueIndex": {"dynamodb:Query"},
                     "MainTableAgendaIndex": {"dynamodb:Query"}, "SendFailedEvents": {"sqs:SendMessage"}},
    # plan nudges (issue 14): plans ending soon from the due index, their ledger, the claim; email and SMS
    "NudgePlans": {"WriteOwnLogs": LOGS, "MainTable": TABLE_ACTIONS_BY_JOBS, "MainTableDueIndex": {"dynamodb:Query"},
                   "SendEmail": {"ses:SendEmail"}, "SendSms": {"sns:Publish"}, "SendFailedEvents": {"sqs:SendMessage"}},
}


def resources(template: dict, type_: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == type_}


def one(template: dict, type_: str, **properties: Any) -> tuple[str, dict[str, Any]]:
    """The single resource of `type_` whose properties include `properties`."""
    found = [(lid, r) for lid, r in resources(template, type_).items()
             if all(r["Properties"].get(k) == v for k, v in properties.items())]
    assert len(found) == 1, f"expected one {type_} with {properties}, found {[lid for lid, _ in found]}"
    return found[0]


def role_of(template: dict, function_id: str) -> dict[str, Any]:
    role_ref = template["Resources"][function_id]["Properties"]["Role"]
    assert set(role_ref) == {"Fn::GetAtt"}, f"{function_id} must use its own role, not {role_ref}"
    return template["Resources"][role_ref["Fn::GetAtt"][0]]


def statements(role: dict) -> dict[str, dict]:
    (policy,) = role["Properties"]["Policies"]
    return {s["Sid"]: s for s in policy["PolicyDocument"]["Statement"]}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def app_handlers():
    from app import app  # the main venv has chalice; tests/conftest.py set the stage and credentials

    return app


@pytest.fixture(params=STAGES)
def stage(request) -> str:
    return request.param


@pytest.fixture
def template(assembly, stage) -> dict:
    return assembly.templates[stage]


# -- functions ---------------------------------------------------------------------------------------
def test_every_function_the_app_defines_is_deployed_with_its_own_role_logs_and_layer(template, stage):
    functions = resources(template, "AWS::Serverless::Function")
    assert set(functions) == {access.logical_id(name) for name in access.FUNCTIONS} == set(EXPECTED_GRANTS)
    config = stages.STAGES[stage]
    roles = set()
    for lid, function in functions.items():
        props = function["Properties"]
        name = props["FunctionName"]
        assert name.startswith(f"turno-{stage}-")
        assert props["Runtime"] == "python3.11"
        assert props["Layers"] == [{"Ref": "ManagedLayer"}]
        roles.add(props["Role"]["Fn::GetAtt"][0])
        _, group = one(template, "AWS::Logs::LogGroup", LogGroupName=f"/aws/lambda/{name}")
        assert group["Properties"]["RetentionInDays"] == config.log_retention_days
        group_id = next(k for k, v in template["Resources"].items() if v is group)
        assert statements(role_of(template, lid))["WriteOwnLogs"]["Resource"] == {"Fn::GetAtt": [group_id, "Arn"]}
        assert group_id in function["DependsOn"], "the log group (with its retention) exists before the function"
    assert len(roles) == len(functions), "each function has a role of its own"


def test_scheduled_functions_run_on_the_apps_schedules(template):
    schedules = {access.logical_id(e.name): e.schedule_expression.to_string()
                 for e in app_handlers().event_sources if isinstance(e, ScheduledEventConfig)}
    assert schedules, "the app has scheduled jobs (outbox, reminders)"
    for lid, expression in schedules.items():
        events = template["Resources"][lid]["Properties"]["Events"]
        assert [e["Properties"]["Schedule"] for e in events.values() if e["Type"] == "Schedule"] == [expression]


def test_sns_handlers_read_the_stacks_delivery_events_topic(template, stage):
    handlers = [access.logical_id(e.name) for e in app_handlers().event_sources if isinstance(e, SNSEventConfig)]
    assert handlers, "the app handles SES bounces and complaints from SNS"
    topic_id, _ = one(template, "AWS::SNS::Topic", TopicName=f"turno-{stage}-delivery-events")
    for lid in handlers:
        events = template["Resources"][lid]["Properties"]["Events"]
        assert [e["Properties"]["Topic"] for e in events.values() if e["Type"] == "SNS"] == [{"Ref": topic_id}]


def stream_functions() -> dict[str, DynamoDBEventConfig]:
    """Logical id -> the decorator's configuration, of every function that reads a table's stream."""
    return {access.logical_id(e.name): e for e in app_handlers().event_sources if isinstance(e, DynamoDBEventConfig)}


def test_every_asynchronous_function_sends_failed_events_to_its_own_queue(template, stage):
    configs = {c["Properties"]["FunctionName"]["Ref"]: c["Properties"]
               for c in resources(template, "AWS::Lambda::EventInvokeConfig").values()}
    asynchronous = {access.logical_id(n) for n, g in access.FUNCTIONS.items() if g.invocation is access.Invocation.ASYNC}
    events = {e.name for e in app_handlers().event_sources}
    assert {access.logical_id(n) for n in events} <= asynchronous | set(stream_functions()) | set(queue_functions())
    assert set(configs) == asynchronous
    queues = resources(template, "AWS::SQS::Queue")
    for lid, props in configs.items():
        queue_id = props["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
        queue = queues[queue_id]["Properties"]
        assert queue["QueueName"] == template["Resources"][lid]["Properties"]["FunctionName"] + "-failures"
        assert queue["MessageRetentionPeriod"] == 14 * 24 * 3600
        assert props["MaximumRetryAttempts"] == 2
        assert statements(role_of(template, lid))["SendFailedEvents"]["Resource"] == {"Fn::GetAtt": [queue_id, "Arn"]}
        assert template["Resources"][lid]["Properties"]["Timeout"] == stages.STAGES[stage].job_timeout_s


def test_the_stream_function_reads_exactly_the_main_tables_stream_and_parks_failed_batches(template, stage):
    """Lambda's event source mapping (SAM's DynamoDB event) polls this stage's table stream, never the
    decorator's placeholder; a failing batch is split, retried a bounded number of times and then its
    place in the stream goes to the function's own failure queue, so one bad record cannot stop the shard."""
    streamed = stream_functions()
    assert set(streamed) == {"OnTableChange"}
    queues = resources(template, "AWS::SQS::Queue")
    for lid, source in streamed.items():
        assert source.stream_arn not in json.dumps(template), "the decorator's placeholder ARN was deployed"
        function = template["Resources"][lid]["Properties"]
        (event,) = function["Events"].values()
        assert event["Type"] == "DynamoDB"
        props = event["Properties"]
        assert props["Stream"] == {"Fn::GetAtt": ["MainTable", "StreamArn"]}
        assert props["StartingPosition"] == "LATEST"
        assert props["BatchSize"] == source.batch_size == 100
        assert props["BisectBatchOnFunctionError"] is True
        assert 0 <= props["MaximumRetryAttempts"] <= 5, "retries are bounded (-1 would retry for the stream's 24 h)"
        assert 60 <= props["MaximumRecordAgeInSeconds"] < 24 * 3600, "records are dropped before the stream forgets them"
        assert set(props) <= {"Stream", "StartingPosition", "BatchSize", "BisectBatchOnFunctionError",
                              "MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "MaximumBatchingWindowInSeconds",
                              "DestinationConfig"}, "no filter, parallelization or tumbling window unless reviewed"
        queue_id = props["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
        assert props["DestinationConfig"] == {"OnFailure": {"Destination": {"Fn::GetAtt": [queue_id, "Arn"]}}}
        assert queues[queue_id]["Properties"]["QueueName"] == function["FunctionName"] + "-failures"
        assert queues[queue_id]["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
        granted = statements(role_of(template, lid))
        assert granted["SendFailedEvents"]["Resource"] == {"Fn::GetAtt": [queue_id, "Arn"]}
        assert granted["MainTableStream"]["Resource"] == {"Fn::GetAtt": ["MainTable", "StreamArn"]}
        assert function["Timeout"] == stages.STAGES[stage].job_timeout_s
        (lag,) = [a["Properties"] for a in resources(template, "AWS::CloudWatch::Alarm").values()
                  if a["Properties"].get("MetricName") == "IteratorAge"
                  and a["Properties"]["Dimensions"] == [{"Name": "FunctionName", "Value": function["FunctionName"]}]]
        assert lag["Statistic"] == "Maximum"
        assert lag["Threshold"] < props["MaximumRecordAgeInSeconds"] * 1000, "the lag alarms before records are dropped"
    invoke_configs = {c["Properties"]["FunctionName"]["Ref"] for c in resources(template, "AWS::Lambda::EventInvokeConfig").values()}
    assert not invoke_configs & set(streamed), "a stream function's failures are the mapping's, not async invocation's"


def queue_functions() -> dict[str, SQSEventConfig]:
    return {access.logical_id(e.name): e for e in app_handlers().event_sources if isinstance(e, SQSEventConfig)}


def test_the_sweep_queue_function_reads_the_stacks_queue_and_retries_units_alone(template, stage):
    """The SQS event source mapping reads this stage's sweep queue (whatever the decorator names), reports
    failed units one by one, runs at most a few at once; a unit received three times goes to the dead letters."""
    assert set(queue_functions()) == {"SweepBusiness"}
    queues = resources(template, "AWS::SQS::Queue")
    queue_id, queue = one(template, "AWS::SQS::Queue", QueueName=f"turno-{stage}-sweep")
    function = template["Resources"]["SweepBusiness"]["Properties"]
    (event,) = function["Events"].values()
    assert event["Type"] == "SQS"
    props = event["Properties"]
    assert props["Queue"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    assert props["BatchSize"] == queue_functions()["SweepBusiness"].batch_size == 10
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["ScalingConfig"] == {"MaximumConcurrency": 10}
    assert function["Timeout"] == stages.STAGES[stage].job_timeout_s
    assert queue["Properties"]["VisibilityTimeout"] == 6 * function["Timeout"]
    redrive = queue["Properties"]["RedrivePolicy"]
    dead_id = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
    assert redrive["maxReceiveCount"] == 3
    assert queues[dead_id]["Properties"]["QueueName"] == f"turno-{stage}-sweep-dead-letters"
    granted = statements(role_of(template, "SweepBusiness"))
    assert granted["ReadSweepQueue"]["Resource"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    assert statements(role_of(template, "SweepDormantClients"))["SendToSweepQueue"]["Resource"] == {
        "Fn::GetAtt": [queue_id, "Arn"]}
    for lid, f in resources(template, "AWS::Serverless::Function").items():
        variables = f["Properties"]["Environment"]["Variables"]
        assert variables["TURNO_SWEEP_QUEUE"] == f"turno-{stage}-sweep"
        assert variables["TURNO_SWEEP_QUEUE_URL"] == {"Ref": queue_id}
    invoke_configs = {c["Properties"]["FunctionName"]["Ref"] for c in resources(template, "AWS::Lambda::EventInvokeConfig").values()}
    assert "SweepBusiness" not in invoke_configs


def test_only_stream_functions_may_read_or_list_streams(template):
    """Lambda refuses to map a stream to a role without ListStreams, which IAM grants only on "*"; the
    record actions stay on the table's own stream."""
    streamed = set(stream_functions())
    for lid in resources(template, "AWS::Serverless::Function"):
        actions = {action for s in statements(role_of(template, lid)).values() for action in as_list(s["Action"])}
        assert ("dynamodb:ListStreams" in actions) == (lid in streamed), lid
        assert bool(actions & STREAM_READ) == (lid in streamed), lid


def test_functions_get_every_setting_the_code_reads_from_the_stack(template, stage):
    """Each TURNO_* variable chalicelib reads is set on every function (TURNO_LOCAL_* are for `make dev`)."""
    read = set()
    for path in (REPO / "chalicelib").rglob("*.py"):
        read |= set(re.findall(r"""["'](TURNO_[A-Z0-9_]+)["']""", path.read_text()))
    read = {name for name in read if not name.startswith("TURNO_LOCAL_")}
    assert {"TURNO_TABLE", "TURNO_USER_POOL_ID", "TURNO_SENDER_EMAIL"} <= read
    pool_id, _ = one(template, "AWS::Cognito::UserPool")
    client_id, _ = one(template, "AWS::Cognito::UserPoolClient")
    for lid, function in resources(template, "AWS::Serverless::Function").items():
        variables = function["Properties"]["Environment"]["Variables"]
        assert read <= set(variables), f"{lid} lacks {sorted(read - set(variables))}"
        assert variables["TURNO_STAGE"] == stage
        assert variables["TURNO_TABLE"] == {"Ref": "MainTable"}
        assert variables["TURNO_IDEMPOTENCY_TABLE"] == {"Ref": "IdempotencyTable"}
        assert variables["TURNO_TABLE_STREAM_ARN"] == {"Fn::GetAtt": ["MainTable", "StreamArn"]}
        assert variables["TURNO_USER_POOL_ID"] == {"Ref": pool_id}
        assert variables["TURNO_USER_POOL_CLIENT_ID"] == {"Ref": client_id}
        assert {"Ref": pool_id} in variables["TURNO_JWKS_URL"]["Fn::Join"][1]
        assert variables["TURNO_SENDER_EMAIL"] == stages.STAGES[stage].sender_email
        assert "resolve:secretsmanager" in json.dumps(variables["TURNO_SIGNING_KEY"])
        assert "resolve:secretsmanager" in json.dumps(variables["TURNO_PRIVACY_KEY"])
        # chalicelib/observability.py: every function logs as one service and emits EMF into one namespace
        assert (variables["POWERTOOLS_SERVICE_NAME"], variables["POWERTOOLS_METRICS_NAMESPACE"]) == ("turno", "Turno")


# -- tables ------------------------------------------------------------------------------------------
def normalized(shape: dict) -> dict:
    return {
        "keys": [(k["AttributeName"], k["KeyType"]) for k in shape["KeySchema"]],
        "attributes": sorted((a["AttributeName"], a["AttributeType"]) for a in shape["AttributeDefinitions"]),
        "indexes": sorted((i["IndexName"], tuple((k["AttributeName"], k["KeyType"]) for k in i["KeySchema"]),
                           i["Projection"]["ProjectionType"]) for i in shape.get("GlobalSecondaryIndexes") or []),
    }


def test_the_main_table_is_exactly_table_definition(template, stage):
    table = template["Resources"]["MainTable"]["Properties"]
    definition = models.table_definition()
    assert table["TableName"] == f"turno-{stage}"
    assert normalized(table) == normalized(definition)
    assert table["TimeToLiveSpecification"] == {"AttributeName": definition["TimeToLiveAttribute"], "Enabled": True}
    assert {"agenda", "due"} <= {i["IndexName"] for i in table["GlobalSecondaryIndexes"]}


def test_the_main_table_streams_new_and_old_images_as_its_model_says(template):
    """jobs/stream.py reads each change's new image; the view type is the model's Meta, written once."""
    table = template["Resources"]["MainTable"]["Properties"]
    assert table["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert models.Item.Meta.stream_view_type == "NEW_AND_OLD_IMAGES"
    assert "StreamSpecification" not in template["Resources"]["IdempotencyTable"]["Properties"]


def test_the_idempotency_table_is_its_pynamodb_model(template, stage):
    table = template["Resources"]["IdempotencyTable"]["Properties"]
    schema = models.IdempotencyRecord._get_schema()
    assert table["TableName"] == f"turno-{stage}-idempotency"
    assert [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]] == [
        (k["AttributeName"], k["KeyType"]) for k in schema["key_schema"]]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}


def test_tables_are_on_demand_with_point_in_time_recovery(template, stage):
    tables = resources(template, "AWS::DynamoDB::Table")
    assert set(tables) == {"MainTable", "IdempotencyTable"}
    for table in tables.values():
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert props["DeletionProtectionEnabled"] is stages.STAGES[stage].retain_data
        assert table["DeletionPolicy"] == ("Retain" if stages.STAGES[stage].retain_data else "Delete")


# -- identity and messages ---------------------------------------------------------------------------
def test_staff_sign_in_with_email_password_and_refresh_only(template, stage):
    pool_id, pool = one(template, "AWS::Cognito::UserPool")
    assert pool["Properties"]["UsernameAttributes"] == ["email"]
    assert pool["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["Properties"]["EmailConfiguration"]["ConfigurationSet"] == {"Ref": "ConfigurationSet"}
    _, client = one(template, "AWS::Cognito::UserPoolClient", UserPoolId={"Ref": pool_id})
    props = client["Properties"]
    assert sorted(props["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]
    assert props["GenerateSecret"] is False
    assert "AllowedOAuthFlows" not in props


def test_the_stack_outputs_what_a_deployment_needs_next(template):
    assert {"EndpointURL", "UserPoolId", "UserPoolClientId", "ConfigurationSetName"} <= set(template["Outputs"])


def test_ses_bounces_and_complaints_reach_the_delivery_events_topic(template, stage):
    config_set = template["Resources"]["ConfigurationSet"]["Properties"]
    assert config_set["Name"] == f"turno-{stage}"
    _, destination = one(template, "AWS::SES::ConfigurationSetEventDestination")
    event = destination["Properties"]["EventDestination"]
    topic_id, _ = one(template, "AWS::SNS::Topic", TopicName=f"turno-{stage}-delivery-events")
    assert destination["Properties"]["ConfigurationSetName"] == {"Ref": "ConfigurationSet"}
    # bounces and complaints mark addresses; deliveries, bounces and rejections are marketing emails' outcomes
    assert sorted(event["MatchingEventTypes"]) == ["bounce", "complaint", "delivery", "reject"] and event["Enabled"]
    assert event["SnsDestination"]["TopicARN"] == {"Ref": topic_id}
    _, policy = one(template, "AWS::SNS::TopicPolicy", Topics=[{"Ref": topic_id}])
    allowed = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"}
    assert set(allowed) == {"SesEvents", "SmsReplies"}
    assert allowed["SesEvents"]["Principal"] == {"Service": "ses.amazonaws.com"}
    assert ":configuration-set/" in json.dumps(allowed["SesEvents"]["Condition"]["ArnLike"]["aws:SourceArn"])
    assert allowed["SmsReplies"]["Principal"] == {"Service": "sms-voice.amazonaws.com"}
    for statement in allowed.values():
        assert statement["Action"] == "sns:Publish" and statement["Resource"] == {"Ref": topic_id}
        assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}


# -- permissions -------------------------------------------------------------------------------------
def test_each_role_grants_exactly_what_its_code_uses(template):
    for lid, expected in EXPECTED_GRANTS.items():
        role = role_of(template, lid)
        assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [{
            "Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}]
        assert "ManagedPolicyArns" not in role["Properties"]
        found = statements(role)
        assert {sid: set(as_list(s["Action"])) for sid, s in found.items()} == expected, lid
        assert all(s["Effect"] == "Allow" for s in found.values())


def test_resources_are_named_and_star_only_for_sms_and_listing_streams(template, stage):
    pool_id, _ = one(template, "AWS::Cognito::UserPool")
    for lid in EXPECTED_GRANTS:
        for sid, statement in statements(role_of(template, lid)).items():
            for action in as_list(statement["Action"]):
                assert "*" not in action, f"{lid} {sid}: wildcard action {action}"
            targets = as_list(statement["Resource"])
            if sid == "SendSms":  # publishing to a phone number has no resource ARN to name
                assert targets == ["*"] and statement["Action"] == "sns:Publish"
                continue
            if sid == "ListStreams":  # names no stream; Lambda's stream mapping requires it
                assert targets == ["*"] and statement["Action"] == "dynamodb:ListStreams"
                continue
            assert "*" not in targets, f"{lid} {sid} grants on every resource"
            if sid.endswith("Table"):
                assert targets == [{"Fn::GetAtt": [sid, "Arn"]}]
            if sid.endswith("TableStream"):
                assert targets == [{"Fn::GetAtt": [sid.removesuffix("Stream"), "StreamArn"]}]
            if sid.endswith("Index"):
                (join,) = targets
                index = sid.removeprefix("MainTable").removesuffix("Index").lower()
                assert join["Fn::Join"][1] == [{"Fn::GetAtt": ["MainTable", "Arn"]}, f"/index/{index}"]
            if sid == "StaffPool":
                assert targets == [{"Fn::GetAtt": [pool_id, "Arn"]}]
            if sid == "SendEmail":
                config = stages.STAGES[stage]
                assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": config.sender_email}}
                text = json.dumps(targets)
                assert f":identity/{config.ses_identity}" in text and ":configuration-set/" in text
                assert len(targets) == 2


def test_chalice_manages_no_role_and_no_policy_of_its_own(template):
    assert "turno-role-not-assigned-by-infra" not in json.dumps(template)
    used = {f["Properties"]["Role"]["Fn::GetAtt"][0] for f in resources(template, "AWS::Serverless::Function").values()}
    assert set(resources(template, "AWS::IAM::Role")) == used
    assert not resources(template, "AWS::IAM::Policy")


# -- alarms ------------------------------------------------------------------------------------------
def alarm_subjects(template: dict) -> set[tuple[str, str, str]]:
    """(namespace, metric, first dimension value or '') of every alarm, math expressions included."""
    found = set()
    for alarm in resources(template, "AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        assert props["AlarmActions"] == props["OKActions"] and len(props["AlarmActions"]) == 1
        metrics = [props] if "MetricName" in props else [m["MetricStat"]["Metric"] for m in props["Metrics"]
                                                         if "MetricStat" in m]
        for metric in metrics:
            dims = metric.get("Dimensions") or []
            value = next((d["Value"] for d in dims if d["Name"] != "GlobalSecondaryIndexName"), "")
            found.add((metric["Namespace"], metric["MetricName"], json.dumps(value) if isinstance(value, dict) else value))
    return found


def test_alarms_on_errors_throttles_failure_queues_stream_lag_and_failed_messages(template, stage):
    subjects = alarm_subjects(template)
    functions = resources(template, "AWS::Serverless::Function")
    for lid, function in functions.items():
        name = function["Properties"]["FunctionName"]
        assert ("AWS/Lambda", "Errors", name) in subjects
        assert ("AWS/Lambda", "Throttles", name) in subjects
    for props in resources(template, "AWS::Lambda::EventInvokeConfig").values():
        name = functions[props["Properties"]["FunctionName"]["Ref"]]["Properties"]["FunctionName"]
        assert ("AWS/Lambda", "DestinationDeliveryFailures", name) in subjects
    for lid in stream_functions():
        name = functions[lid]["Properties"]["FunctionName"]
        assert ("AWS/Lambda", "DestinationDeliveryFailures", name) in subjects
        assert ("AWS/Lambda", "IteratorAge", name) in subjects
    for queue in resources(template, "AWS::SQS::Queue").values():
        name = queue["Properties"]["QueueName"]
        if "RedrivePolicy" in queue["Properties"]:  # a work queue: units waiting too long; its dead letters at once
            assert ("AWS/SQS", "ApproximateAgeOfOldestMessage", name) in subjects
        else:
            assert ("AWS/SQS", "ApproximateNumberOfMessagesVisible", name) in subjects
    for table in ("MainTable", "IdempotencyTable"):
        name = template["Resources"][table]["Properties"]["TableName"]
        assert ("AWS/DynamoDB", "ReadThrottleEvents", name) in subjects
        assert ("AWS/DynamoDB", "WriteThrottleEvents", name) in subjects
    assert ("AWS/SNS", "NumberOfNotificationsFailed", f"turno-{stage}-delivery-events") in subjects
    assert {("AWS/SES", "Reputation.BounceRate", ""), ("AWS/SES", "Reputation.ComplaintRate", ""),
            ("AWS/SNS", "SMSMonthToDateSpentUSD", ""), ("AWS/ApiGateway", "5XXError", f"turno-{stage}")} <= subjects


# -- stages ------------------------------------------------------------------------------------------
def leaves(value: Any, path: tuple = ()) -> dict[tuple, Any]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in leaves(item, (*path, key)).items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in leaves(item, (*path, i)).items()}
    return {path: value}


def test_stages_differ_only_by_configuration(assembly):
    """Same resources under the same ids; every value that differs is the stage's name or a StageConfig
    value (retention, sender, spend threshold, data protection)."""
    dev, prod = (assembly.templates[s]["Resources"] for s in ("dev", "prod"))
    assert {k: v["Type"] for k, v in dev.items()} == {k: v["Type"] for k, v in prod.items()}
    dev_config, prod_config = stages.STAGES["dev"], stages.STAGES["prod"]
    pairs = [(getattr(dev_config, f), getattr(prod_config, f)) for f in vars(dev_config)]
    pairs = [(a, b) for a, b in pairs if a != b and a is not None and b is not None]
    pairs += [("Delete", "Retain"), ("INACTIVE", "ACTIVE")]  # retain_data, spelled by CloudFormation

    def explained(a: Any, b: Any) -> bool:
        if (a, b) in pairs:
            return True
        if not isinstance(a, str) or not isinstance(b, str):
            return False
        b = b.replace("prod", "dev")
        return a == b or any(a == b.replace(str(y), str(x)) for x, y in pairs
                             if isinstance(y, (str, int)) and not isinstance(y, bool) and str(y))

    unexplained = []
    for lid in dev:
        a, b = leaves(dev[lid]), leaves(prod[lid])
        for path in a.keys() | b.keys():
            if a.get(path) != b.get(path) and not explained(a.get(path), b.get(path)):
                if path[-1] in ("DeletionProtection", "DeletionProtectionEnabled"):
                    continue  # set only where data is retained
                unexplained.append((lid, path, a.get(path), b.get(path)))
    assert not unexplained


def test_cfn_lint_finds_nothing(assembly):
    lint = REPO / "infra" / ".venv" / "bin" / "cfn-lint"
    result = subprocess.run([str(lint), *(str(assembly.out / f"{s}.template.json") for s in STAGES)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
