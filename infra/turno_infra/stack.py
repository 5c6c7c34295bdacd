"""One stage of Turno: tables, the staff user pool, the SES configuration set and its event topic, the
signing-key secret, the Chalice app with a role per function, log groups, failure queues for
asynchronous and stream functions and the alarms. Stages differ only by their `StageConfig`."""
from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping

from aws_cdk import Aws, CfnOutput, CfnResource, Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from constructs import Construct

from .gateway_responses import swagger_extension
from .access import FUNCTIONS, Grants, Invocation, logical_id
from .bytecode import LAMBDA_LAYER_ROOT, LAMBDA_TASK_ROOT, precompile_zip
from .monitoring import Alarms
from .project import add_templates
from .trim import trim_layer
from .stages import StageConfig
from .tables import TABLES, load_module, sandboxed_environ, shapes

# Chalice needs *some* role ARN when it does not manage roles; every function's Role is then
# replaced by its own role below, and synthesis fails if one is left pointing here.
UNASSIGNED_ROLE = "arn:aws:iam::000000000000:role/turno-role-not-assigned-by-infra"
API_GATEWAY_STAGE = "api"
ASYNC_RETRY_ATTEMPTS = 2
# A table's stream, read by Lambda's event source mapping. Records wait in the stream (24 hours) and a
# shard is read in order, so a batch that keeps failing would hold back every change after it: it is
# split in two on each error (narrowing down to the failing records), retried at most this many times,
# and then only its place in the stream (shard, sequence numbers) goes to the failure queue.
# The outbox job still sends its messages; the events in it can be read again from the stream within
# the day. LATEST: a new mapping starts with the changes made after it, never replays the table's day.
STREAM_RETRY_ATTEMPTS = 3
STREAM_MAX_RECORD_AGE = Duration.hours(1)   # later than this, an event is news to nobody; lag alarms first
STREAM_LAG_ALARM = Duration.minutes(5)      # IteratorAge: the outbox job would have sent the messages by then
STREAM_STARTING_POSITION = "LATEST"
# Reading a stream: the three record actions on the table's stream ARN only. Lambda also requires
# dynamodb:ListStreams of an event source mapping's role (it refuses to create the mapping without it);
# that action names no stream and IAM takes only "*" for it, and it lists stream ARNs, no data.
STREAM_READ_ACTIONS = ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")
STREAM_LIST_ACTIONS = ("dynamodb:ListStreams",)
# SES events the SNS handler reads: bounces and complaints make an address undeliverable (nothing is sent to
# it again); deliveries, bounces and rejections are each marketing email's own outcome (its campaign's figures).
SES_EVENTS = ("bounce", "complaint", "delivery", "reject")
# The topics the stack creates, by the name `Grants.sns_topic` uses.
DELIVERY_EVENTS_TOPIC = "delivery-events"
# Work queues (one unit of work per message, read by one @on_sqs_message function), by the name
# `Grants.queue` and `Grants.sends_to` use, with the variables that name them to the code (chalicelib/config.py):
# the name is the decorator's argument when packaging, the URL is where the producer sends.
WORK_QUEUES = {"sweep": ("TURNO_SWEEP_QUEUE", "TURNO_SWEEP_QUEUE_URL")}
# A unit is received at most this many times (the first try and two retries), then it waits in the queue's
# dead-letter queue (alarmed) for someone to look, and to send it back with SQS's redrive.
QUEUE_MAX_RECEIVES = 3
# Lambda's advice for an SQS event source: a visibility timeout of six times the function's timeout, so that
# a message is not handed out again while its batch may still be running (or waiting for a throttled retry).
QUEUE_VISIBILITY_PER_TIMEOUT = 6
# How many units of a queue run at once: a morning's sweep of thousands of businesses at most this many
# functions wide, so that the table is not hit by all of them together.
QUEUE_MAX_CONCURRENCY = 10
QUEUE_READ_ACTIONS = ("sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                      "sqs:ReceiveMessage")


class TurnoStack(Stack):
    def __init__(self, scope: Construct, config: StageConfig, *, project_dir: Path, build_dir: Path,
                 functions: Mapping[str, Grants] = FUNCTIONS, **kwargs: Any) -> None:
        super().__init__(scope, config.name, stack_name=config.stack_name,
                         description=f"Turno appointment booking, {config.name} stage", **kwargs)
        self.config = config
        self.removal = RemovalPolicy.RETAIN if config.retain_data else RemovalPolicy.DESTROY
        Tags.of(self).add("project", "turno")
        Tags.of(self).add("stage", config.name)

        alarm_topic = sns.Topic(self, "AlarmTopic", topic_name=config.resource_name("alarms"),
                                display_name=f"Turno {config.name} alarms", enforce_ssl=True)
        if config.alarm_email:
            alarm_topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        self.alarms = Alarms(self, "Alarms", topic=alarm_topic)

        self.indexes: dict[str, set[str]] = {}
        self.streams: set[str] = set()  # keys of the tables with a stream
        self.tables = self._tables(shapes(load_module(project_dir)))
        self.configuration_set, self.topics = self._messaging()
        self.work_queues = {name: self._work_queue(name) for name in WORK_QUEUES}
        self.user_pool, self.user_pool_client = self._user_pool()

        # A random key per stage; CloudFormation resolves it into the function's environment at
        # deploy time, so neither the code nor the template holds its value (see docs/deploy.md).
        signing_key = secretsmanager.Secret(
            self, "SigningKey",
            secret_name=f"turno/{config.name}/signing-key",
            description="Signs the manage links sent to clients (TURNO_SIGNING_KEY)",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True),
            removal_policy=self.removal,
        )
        # Keys the do-not-contact list's hashes of erased clients' contacts (TURNO_PRIVACY_KEY). Never rotated
        # in place: a new key would no longer match the hashes already on the list.
        privacy_key = secretsmanager.Secret(
            self, "PrivacyKey",
            secret_name=f"turno/{config.name}/privacy-key",
            description="Keys the hashes on the do-not-contact list of erased clients (TURNO_PRIVACY_KEY)",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True),
            removal_policy=self.removal,
        )

        specs = {logical_id(name): (name, grants) for name, grants in functions.items()}
        self.log_groups = {lid: self._log_group(name) for lid, (name, _) in specs.items()}
        self.failure_queues = {lid: self._failure_queue(name) for lid, (name, grants) in specs.items()
                               if grants.invocation.has_failure_queue}
        self.roles = {lid: self._role(lid, name, grants) for lid, (name, grants) in specs.items()}

        # Every name reaches the code as an environment variable (chalicelib/config.py reads them).
        self.function_environment = {
            "TURNO_STAGE": config.name,
            "TURNO_SIGNING_KEY": signing_key.secret_value.unsafe_unwrap(),
            "TURNO_PRIVACY_KEY": privacy_key.secret_value.unsafe_unwrap(),
            **{spec.env_var: self.tables[spec.key].ref for spec in TABLES},
            # The stream function's decorator names it; the stack's own stream replaces it (_wire_stream).
            "TURNO_TABLE_STREAM_ARN": self.tables["main"].get_att("StreamArn").to_string(),
            "TURNO_USER_POOL_ID": self.user_pool.user_pool_id,
            "TURNO_USER_POOL_CLIENT_ID": self.user_pool_client.user_pool_client_id,
            "TURNO_JWKS_URL": f"https://cognito-idp.{Aws.REGION}.{Aws.URL_SUFFIX}/"
                              f"{self.user_pool.user_pool_id}/.well-known/jwks.json",
            "TURNO_SENDER_EMAIL": config.sender_email,
            "TURNO_SES_CONFIGURATION_SET": self.configuration_set.ref,
            "TURNO_SMS_SENDER_ID": config.sms_sender_id,
            "TURNO_BACKOFFICE_URL": config.public_url,
            "TURNO_PUBLIC_URL": config.public_url,
            # A plain name, not a token: chalicelib/jobs reads it when the app is imported for packaging.
            "TURNO_DELIVERY_TOPIC": config.resource_name(DELIVERY_EVENTS_TOPIC),
            # Work queues: the name (for the decorator, when packaging) and the URL (to send to).
            **{variable: value for name, (by_name, by_url) in WORK_QUEUES.items()
               for variable, value in ((by_name, config.resource_name(name)),
                                       (by_url, self.work_queues[name].queue_url))},
            # Logs and metrics (chalicelib/observability.py): one service, EMF metrics under "Turno".
            "POWERTOOLS_SERVICE_NAME": "turno",
            "POWERTOOLS_METRICS_NAMESPACE": "Turno",
        }
        workdir = build_dir / config.name
        with _chalice_workdir(workdir), sandboxed_environ(AWS_DEFAULT_REGION=_packaging_region()):
            self.chalice = PrecompiledChalice(
                self, "App", bytecode_cache=build_dir / "bytecode", source_dir=str(project_dir),
                stage_config={
                    "manage_iam_role": False,
                    "iam_role_arn": UNASSIGNED_ROLE,
                    "autogen_policy": False,
                    # Dependencies in a layer Chalice rebuilds only when requirements.txt changes; the
                    # function's own zip (app, chalicelib, templates) stays small and quick to build.
                    "automatic_layer": True,
                    "api_gateway_stage": API_GATEWAY_STAGE,
                    "lambda_memory_size": config.lambda_memory_mb,
                    "lambda_timeout": config.lambda_timeout_s,
                    "environment_variables": self.function_environment,
                })
            sam = _read_sam_template(workdir)

        packaged = {lid for lid, r in sam["Resources"].items() if r["Type"] == "AWS::Serverless::Function"}
        if packaged != set(specs):
            missing = sorted(packaged - set(specs))
            raise RuntimeError(
                f"Chalice builds functions {sorted(packaged)} but infra/turno_infra/access.py declares "
                f"{sorted(specs)} (missing: {missing}): give each function its grants there")
        for lid, (name, grants) in specs.items():
            self._wire_function(lid, name, grants, sam["Resources"][lid])

        api_name = config.resource_name()
        rest_api = self.chalice.get_resource("RestAPI")  # "turno" in every stage otherwise
        rest_api.add_property_override("Name", api_name)
        rest_api.add_property_override("DefinitionBody.info.title", api_name)
        # API Gateway's own errors (no token, unknown path, wrong media type...) in the app's error shape.
        # In the API's definition rather than as AWS::ApiGateway::GatewayResponse resources: a gateway
        # response only applies after a new deployment, and SAM redeploys the stage when the definition
        # changes, never when a separate resource does.
        rest_api.add_property_override("DefinitionBody.x-amazon-apigateway-gateway-responses",
                                       swagger_extension())
        self.alarms.api_errors("Api", api_name, API_GATEWAY_STAGE)

        CfnOutput(self, "UserPoolId", value=self.user_pool.user_pool_id)
        CfnOutput(self, "UserPoolClientId", value=self.user_pool_client.user_pool_client_id)
        CfnOutput(self, "ConfigurationSetName", value=self.configuration_set.ref)

    # -- tables -------------------------------------------------------------------------------
    def _tables(self, table_shapes: dict[str, dict[str, Any]]) -> dict[str, CfnResource]:
        tables = {}
        for spec in TABLES:
            shape = table_shapes[spec.key]
            name = self.config.resource_name(spec.suffix)
            # A plain CfnResource: the definition is already spelled as CloudFormation's properties.
            properties: dict[str, Any] = {
                "TableName": name,
                "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": shape["KeySchema"],
                "AttributeDefinitions": shape["AttributeDefinitions"],
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                "SSESpecification": {"SSEEnabled": True},
                "DeletionProtectionEnabled": self.config.retain_data,
            }
            for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
                if shape.get(kind):
                    properties[kind] = shape[kind]
            if shape.get("TimeToLiveAttribute"):
                properties["TimeToLiveSpecification"] = {
                    "AttributeName": shape["TimeToLiveAttribute"], "Enabled": True}
            if shape.get("StreamViewType"):  # the model's Meta.stream_view_type (tables.py checks TableSpec.stream)
                properties["StreamSpecification"] = {"StreamViewType": shape["StreamViewType"]}
            lid = f"{spec.key.title()}Table"
            table = CfnResource(self, lid, type="AWS::DynamoDB::Table", properties=properties)
            table.apply_removal_policy(self.removal)
            self.alarms.table_throttles(lid, name)
            for index in shape.get("GlobalSecondaryIndexes") or []:
                self.alarms.table_throttles(f"{lid}{index['IndexName'].title()}Index", name, index["IndexName"])
            tables[spec.key] = table
            self.indexes[spec.key] = {i["IndexName"] for i in shape.get("GlobalSecondaryIndexes") or []}
            if spec.stream:
                self.streams.add(spec.key)
        return tables

    # -- staff identity -----------------------------------------------------------------------
    def _user_pool(self) -> tuple[cognito.UserPool, cognito.UserPoolClient]:
        """Staff sign in with email and password (USER_PASSWORD_AUTH) and refresh; no self sign-up:
        accounts are created by a business's owner through the API (AdminCreateUser)."""
        config = self.config
        pool = cognito.UserPool(
            self, "StaffPool",
            user_pool_name=config.resource_name("staff"),
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            keep_original=cognito.KeepOriginalAttrs(email=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            password_policy=cognito.PasswordPolicy(
                min_length=10, require_lowercase=True, require_uppercase=False, require_digits=True,
                require_symbols=False, temp_password_validity=Duration.days(7)),
            # Cognito's own mails (invitation, password reset) go out through the stage's SES identity.
            email=cognito.UserPoolEmail.with_ses(
                from_email=config.sender_email, from_name="Turno", ses_region=Aws.REGION,
                configuration_set_name=self.configuration_set.ref,
                ses_verified_domain=config.ses_identity if "@" not in config.ses_identity else None),
            deletion_protection=config.retain_data,
            removal_policy=self.removal,
        )
        client = pool.add_client(
            "Backoffice",
            user_pool_client_name=config.resource_name("backoffice"),
            auth_flows=cognito.AuthFlow(user_password=True),  # ALLOW_REFRESH_TOKEN_AUTH comes with it
            generate_secret=False,
            disable_o_auth=True,  # the backoffice signs in through our API, never Cognito's hosted pages
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            access_token_validity=Duration.hours(1),
            id_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.days(30),
        )
        return pool, client

    # -- messages -----------------------------------------------------------------------------
    def _messaging(self) -> tuple[ses.CfnConfigurationSet, dict[str, sns.Topic]]:
        """The SES configuration set every message goes through, publishing bounces, complaints, deliveries
        and rejections to a topic the SNS handler reads, and the alarms on sending reputation and SMS spend."""
        config = self.config
        topic = sns.Topic(self, "DeliveryEvents", topic_name=config.resource_name(DELIVERY_EVENTS_TOPIC),
                          display_name=f"Turno {config.name} bounces, complaints and opt-outs", enforce_ssl=True)
        configuration_set = ses.CfnConfigurationSet(
            self, "ConfigurationSet", name=config.resource_name(),
            reputation_options=ses.CfnConfigurationSet.ReputationOptionsProperty(reputation_metrics_enabled=True),
            sending_options=ses.CfnConfigurationSet.SendingOptionsProperty(sending_enabled=True),
        )
        destination = ses.CfnConfigurationSetEventDestination(
            self, "ConfigurationSetEvents",
            configuration_set_name=configuration_set.ref,
            event_destination=ses.CfnConfigurationSetEventDestination.EventDestinationProperty(
                name="undeliverable", enabled=True, matching_event_types=list(SES_EVENTS),
                sns_destination=ses.CfnConfigurationSetEventDestination.SnsDestinationProperty(
                    topic_arn=topic.topic_arn)),
        )
        allowed = topic.add_to_resource_policy(iam.PolicyStatement(
            sid="SesEvents", actions=["sns:Publish"], resources=[topic.topic_arn],
            principals=[iam.ServicePrincipal("ses.amazonaws.com")],
            conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                        "ArnLike": {"aws:SourceArn": self._configuration_set_arn(configuration_set.ref)}},
        ))
        # Two-way SMS: an origination number's inbound replies (STOP...) can be sent here too (docs/deploy.md).
        topic.add_to_resource_policy(iam.PolicyStatement(
            sid="SmsReplies", actions=["sns:Publish"], resources=[topic.topic_arn],
            principals=[iam.ServicePrincipal("sms-voice.amazonaws.com")],
            conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
        ))
        if allowed.policy_dependable:  # SES checks that it may publish when the destination is created
            destination.node.add_dependency(allowed.policy_dependable)
        self.alarms.topic_failures("DeliveryEvents", config.resource_name(DELIVERY_EVENTS_TOPIC))
        self.alarms.ses_reputation("Ses")
        self.alarms.sms_spend("Sms", config.sms_spend_alarm_usd)
        return configuration_set, {DELIVERY_EVENTS_TOPIC: topic}

    def _configuration_set_arn(self, name: str) -> str:
        return f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:{Aws.ACCOUNT_ID}:configuration-set/{name}"

    def _identity_arn(self) -> str:
        return f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:{Aws.ACCOUNT_ID}:identity/{self.config.ses_identity}"

    # -- functions ----------------------------------------------------------------------------
    def function_name(self, name: str) -> str:
        return self.config.resource_name(name.replace("_", "-"))

    def _log_group(self, name: str) -> logs.CfnLogGroup:
        # Named after the function, so it exists before the first invocation and the role can
        # name it without depending on the function.
        group = logs.CfnLogGroup(self, f"{logical_id(name)}Logs",
                                 log_group_name=f"/aws/lambda/{self.function_name(name)}",
                                 retention_in_days=self.config.log_retention_days)
        group.apply_removal_policy(self.removal)
        return group

    def _failure_queue(self, name: str) -> sqs.Queue:
        queue_name = self.function_name(name) + "-failures"
        queue = sqs.Queue(self, f"{logical_id(name)}Failures", queue_name=queue_name,
                          retention_period=Duration.days(14),
                          encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True,
                          removal_policy=self.removal)
        self.alarms.queue_depth(f"{logical_id(name)}Failures", queue_name)
        return queue

    def _work_queue(self, name: str) -> sqs.Queue:
        """A work queue and its dead-letter queue; the dead letters are alarmed, the queue's age too."""
        queue_name = self.config.resource_name(name)
        dead = sqs.Queue(self, f"{name.title()}DeadLetters", queue_name=f"{queue_name}-dead-letters",
                         retention_period=Duration.days(14), encryption=sqs.QueueEncryption.SQS_MANAGED,
                         enforce_ssl=True, removal_policy=self.removal)
        self.alarms.queue_depth(f"{name.title()}DeadLetters", f"{queue_name}-dead-letters")
        queue = sqs.Queue(self, f"{name.title()}Queue", queue_name=queue_name,
                          visibility_timeout=Duration.seconds(self.config.job_timeout_s * QUEUE_VISIBILITY_PER_TIMEOUT),
                          retention_period=Duration.days(4), encryption=sqs.QueueEncryption.SQS_MANAGED,
                          enforce_ssl=True, removal_policy=self.removal,
                          dead_letter_queue=sqs.DeadLetterQueue(queue=dead, max_receive_count=QUEUE_MAX_RECEIVES))
        self.alarms.queue_age(f"{name.title()}Queue", queue_name, Duration.hours(1))
        return queue

    def _queue(self, function: str, name: str) -> sqs.Queue:
        if name not in self.work_queues:
            raise RuntimeError(f"{function} names work queue {name!r}; the stack has {sorted(self.work_queues)}")
        return self.work_queues[name]

    def _role(self, lid: str, name: str, grants: Grants) -> iam.Role:
        statements = [iam.PolicyStatement(
            sid="WriteOwnLogs",
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[self.log_groups[lid].attr_arn],
        )]
        for key, access in grants.tables.items():
            table_arn = self.tables[key].get_att("Arn").to_string()
            statements.append(iam.PolicyStatement(
                sid=f"{key.title()}Table", actions=sorted(access.actions), resources=[table_arn]))
            for index, actions in access.indexes.items():
                if index not in self.indexes[key]:
                    raise RuntimeError(f"{name} is granted index {index!r}, which table {key} lacks")
                statements.append(iam.PolicyStatement(
                    sid=f"{key.title()}Table{index.title()}Index", actions=sorted(actions),
                    resources=[f"{table_arn}/index/{index}"]))
        if grants.stream is not None:
            if grants.stream not in self.streams:
                raise RuntimeError(f"{name} reads the stream of table {grants.stream!r}, which has none "
                                   f"(tables with a stream: {sorted(self.streams)})")
            # Its one current stream, not `<table arn>/stream/*`: a new stream is a new ARN, updated here too.
            statements.append(iam.PolicyStatement(
                sid=f"{grants.stream.title()}TableStream", actions=sorted(STREAM_READ_ACTIONS),
                resources=[self.stream_arn(grants.stream)]))
            statements.append(iam.PolicyStatement(sid="ListStreams", actions=list(STREAM_LIST_ACTIONS),
                                                  resources=["*"]))
        if grants.send_email:
            # SES v2 authorizes SendEmail (raw MIME included) against the identity and the configuration set.
            statements.append(iam.PolicyStatement(
                sid="SendEmail", actions=["ses:SendEmail"],
                resources=[self._identity_arn(), self._configuration_set_arn(self.configuration_set.ref)],
                conditions={"StringEquals": {"ses:FromAddress": self.config.sender_email}},
            ))
        if grants.send_sms:
            # Publishing to a phone number has no resource ARN: IAM offers nothing narrower than "*".
            statements.append(iam.PolicyStatement(sid="SendSms", actions=["sns:Publish"], resources=["*"]))
        if grants.user_pool:
            statements.append(iam.PolicyStatement(
                sid="StaffPool", actions=sorted(grants.user_pool), resources=[self.user_pool.user_pool_arn]))
        for queue in grants.sends_to:
            statements.append(iam.PolicyStatement(  # SendMessageBatch is authorised as SendMessage
                sid=f"SendTo{queue.title()}Queue", actions=["sqs:SendMessage"],
                resources=[self._queue(name, queue).queue_arn]))
        if grants.queue is not None:
            statements.append(iam.PolicyStatement(
                sid=f"Read{grants.queue.title()}Queue", actions=list(QUEUE_READ_ACTIONS),
                resources=[self._queue(name, grants.queue).queue_arn]))
        if lid in self.failure_queues:
            statements.append(iam.PolicyStatement(
                sid="SendFailedEvents", actions=["sqs:SendMessage"],
                resources=[self.failure_queues[lid].queue_arn]))
        return iam.Role(
            self, f"{lid}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Turno {self.config.name} {name}: only what its code uses",
            inline_policies={"access": iam.PolicyDocument(statements=statements)},
        )

    def stream_arn(self, table_key: str) -> str:
        return self.tables[table_key].get_att("StreamArn").to_string()

    def _wire_function(self, lid: str, name: str, grants: Grants, packaged: dict[str, Any]) -> None:
        function = self.chalice.get_resource(lid)
        function_name = self.function_name(name)
        function.add_property_override("FunctionName", function_name)
        function.add_property_override("Role", self.roles[lid].role_arn)
        function.add_resource_dependency(self.log_groups[lid])
        self.alarms.function(lid, function_name)
        events = packaged["Properties"].get("Events") or {}
        kinds = {event["Type"] for event in events.values()}
        if grants.invocation is Invocation.SYNC:
            if kinds - {"Api"}:
                raise RuntimeError(f"{name} is declared synchronous but has events {sorted(kinds)}")
            return
        function.add_property_override("Timeout", self.config.job_timeout_s)
        if grants.invocation is Invocation.STREAM:
            self._wire_stream(lid, name, grants, function, events)
            return
        if grants.invocation is Invocation.QUEUE:
            self._wire_queue(lid, name, grants, function, events)
            return
        if not kinds <= {"Schedule", "SNS"}:
            raise RuntimeError(f"{name} has events {sorted(kinds)}: infra handles schedules and SNS topics")
        for event_id, event in events.items():
            if event["Type"] == "SNS":
                if grants.sns_topic not in self.topics:
                    raise RuntimeError(f"{name} reads an SNS topic: set its sns_topic to one of {sorted(self.topics)}")
                # Whatever the decorator names, the handler reads this stage's topic.
                function.add_property_override(f"Events.{event_id}.Properties.Topic",
                                               self.topics[grants.sns_topic].topic_arn)
        config = lambda_.CfnEventInvokeConfig(
            self, f"{lid}InvokeConfig",
            function_name=function.ref,
            qualifier="$LATEST",
            maximum_retry_attempts=ASYNC_RETRY_ATTEMPTS,
            destination_config=lambda_.CfnEventInvokeConfig.DestinationConfigProperty(
                on_failure=lambda_.CfnEventInvokeConfig.OnFailureProperty(
                    destination=self.failure_queues[lid].queue_arn)),
        )
        self.alarms.failed_deliveries(lid, function_name)

    def _wire_stream(self, lid: str, name: str, grants: Grants, function: CfnResource,
                     events: dict[str, Any]) -> None:
        """The event source mapping (SAM's DynamoDB event) of a function that reads a table's stream."""
        properties = _only_event(name, events, "DynamoDB", "stream", "@on_dynamodb_record", grants.stream)
        # Whatever ARN the decorator wrote (a placeholder from chalicelib/config.py), the mapping reads
        # this stage's table. The batch size stays the decorator's.
        _override(function, properties, {
            "Stream": self.stream_arn(grants.stream),
            "StartingPosition": STREAM_STARTING_POSITION,
            "MaximumRetryAttempts": STREAM_RETRY_ATTEMPTS,
            "BisectBatchOnFunctionError": True,
            "MaximumRecordAgeInSeconds": STREAM_MAX_RECORD_AGE.to_seconds(),
            "DestinationConfig": {"OnFailure": {"Destination": self.failure_queues[lid].queue_arn}},
        })
        function_name = self.function_name(name)
        self.alarms.stream_lag(lid, function_name, STREAM_LAG_ALARM)
        self.alarms.failed_deliveries(lid, function_name)

    def _wire_queue(self, lid: str, name: str, grants: Grants, function: CfnResource,
                    events: dict[str, Any]) -> None:
        """The event source mapping (SAM's SQS event) of a function that reads a work queue: the stack's queue
        whatever the decorator's name, failed units reported one by one (the partial batch response)."""
        properties = _only_event(name, events, "SQS", "queue", "@on_sqs_message", grants.queue)
        _override(function, properties, {
            "Queue": self._queue(name, grants.queue).queue_arn,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "ScalingConfig": {"MaximumConcurrency": QUEUE_MAX_CONCURRENCY},
        })


def _only_event(name: str, events: dict[str, Any], kind: str, role: str, decorator: str, grant: object) -> str:
    """The properties' path of the one event of `kind` a function declared as a `role` function must have
    (with the matching grant): a function wired by hand that drifted from its decorator fails the synth."""
    if [event["Type"] for event in events.values()] != [kind] or grant is None:
        raise RuntimeError(f"{name} is declared a {role} function: it needs exactly one {decorator} event "
                           f"and Grants.{role}, has {sorted(events)}")
    (event_id,) = events
    return f"Events.{event_id}.Properties"


def _override(function: CfnResource, properties: str, values: dict[str, Any]) -> None:
    for key, value in values.items():
        function.add_property_override(f"{properties}.{key}", value)


class PrecompiledChalice(Chalice):
    """Chalice's construct, with `templates/` and bytecode added to the packages, and the layer trimmed
    (trim.py), before they become CDK assets."""

    def __init__(self, scope: Construct, id: str, *, bytecode_cache: Path, **kwargs: Any) -> None:
        self._bytecode_cache = bytecode_cache
        super().__init__(scope, id, **kwargs)

    def _package_app(self) -> None:  # chalice 1.34: packages into self._sam_package_dir
        super()._package_app()
        out = Path(self._sam_package_dir)
        add_templates(out / "deployment.zip", Path(self.source_dir))
        precompile_zip(out / "deployment.zip", self._bytecode_cache, LAMBDA_TASK_ROOT)
        if (out / "layer-deployment.zip").is_file():
            trim_layer(out / "layer-deployment.zip")  # before compiling: what is left out is not compiled
            precompile_zip(out / "layer-deployment.zip", self._bytecode_cache, LAMBDA_LAYER_ROOT)


@contextmanager
def _chalice_workdir(workdir: Path) -> Iterator[None]:
    """The Chalice construct writes its SAM template and zip under `./chalice.out`."""
    out = workdir / "chalice.out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    previous = os.getcwd()
    os.chdir(workdir)
    try:
        yield
    finally:
        os.chdir(previous)


def _packaging_region() -> str:
    """Chalice asks botocore for a region only to spell service principals (amazonaws.com vs the
    China partition's suffix); the template itself stays region-agnostic."""
    for name in ("CDK_DEFAULT_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"):
        if os.environ.get(name):
            return os.environ[name]
    return "us-east-1"


def _read_sam_template(workdir: Path) -> dict[str, Any]:
    (found,) = (workdir / "chalice.out").glob("*.sam_with_assets.json")
    return json.loads(found.read_text())
