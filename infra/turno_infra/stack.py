"""One stage of Turno: tables, the signing-key secret, the Chalice app with a role per function,
log groups, failure queues for asynchronous functions and the alarms. Stages differ only by their
`StageConfig`."""
from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from aws_cdk import CfnResource, Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from constructs import Construct

from .access import FUNCTIONS, FunctionSpec, Invocation
from .bytecode import precompile_zip
from .monitoring import Alarms
from .stages import StageConfig
from .tables import TABLES, cfn_definition, load_models, sandboxed_environ

# Chalice needs *some* role ARN when it does not manage roles; every function's Role is then
# replaced by its own role below, and synthesis fails if one is left pointing here.
UNASSIGNED_ROLE = "arn:aws:iam::000000000000:role/turno-role-not-assigned-by-infra"
API_GATEWAY_STAGE = "api"
ASYNC_RETRY_ATTEMPTS = 2


class TurnoStack(Stack):
    def __init__(self, scope: Construct, config: StageConfig, *, project_dir: Path, build_dir: Path,
                 functions: Sequence[FunctionSpec] = FUNCTIONS, **kwargs: Any) -> None:
        super().__init__(scope, config.name, stack_name=config.stack_name,
                         description=f"Turno appointment booking, {config.name} stage", **kwargs)
        self.config = config
        removal = RemovalPolicy.RETAIN if config.retain_data else RemovalPolicy.DESTROY
        Tags.of(self).add("project", "turno")
        Tags.of(self).add("stage", config.name)

        topic = sns.Topic(self, "AlarmTopic", topic_name=config.resource_name("alarms"),
                          display_name=f"Turno {config.name} alarms")
        if config.alarm_email:
            topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        self.alarms = Alarms(self, "Alarms", topic=topic)

        self.indexes: dict[str, set[str]] = {}
        self.tables = self._tables(load_models(project_dir), removal)

        # A random key per stage; CloudFormation resolves it into the function's environment at
        # deploy time, so neither the code nor the template holds its value (see docs/deploy.md).
        signing_key = secretsmanager.Secret(
            self, "SigningKey",
            secret_name=f"turno/{config.name}/signing-key",
            description="Signs the manage links sent to clients (TURNO_SIGNING_KEY)",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True),
            removal_policy=removal,
        )

        specs = {spec.logical_id: spec for spec in functions}
        self.log_groups = {lid: self._log_group(spec, removal) for lid, spec in specs.items()}
        self.failure_queues = {lid: self._failure_queue(spec, removal) for lid, spec in specs.items()
                               if spec.invocation is Invocation.ASYNC}
        self.roles = {lid: self._role(spec) for lid, spec in specs.items()}

        environment = {
            "TURNO_STAGE": config.name,
            "TURNO_SIGNING_KEY": signing_key.secret_value.unsafe_unwrap(),
            **{spec.env_var: self.tables[spec.key].ref for spec in TABLES},
        }
        workdir = build_dir / config.name
        with _chalice_workdir(workdir), sandboxed_environ(AWS_DEFAULT_REGION=_packaging_region()):
            self.chalice = PrecompiledChalice(self, "App", bytecode_cache=build_dir / "bytecode", source_dir=str(project_dir), stage_config={
                "manage_iam_role": False,
                "iam_role_arn": UNASSIGNED_ROLE,
                "autogen_policy": False,
                "api_gateway_stage": API_GATEWAY_STAGE,
                "lambda_memory_size": config.lambda_memory_mb,
                "lambda_timeout": config.lambda_timeout_s,
                "environment_variables": environment,
            })
            sam = _read_sam_template(workdir)

        packaged = {lid for lid, r in sam["Resources"].items() if r["Type"] == "AWS::Serverless::Function"}
        if packaged != set(specs):
            raise RuntimeError(
                f"Chalice builds functions {sorted(packaged)} but infra/turno_infra/access.py declares "
                f"{sorted(specs)}: declare each function's permissions and invocation there")
        for lid, spec in specs.items():
            self._wire_function(spec, sam["Resources"][lid])

        api_name = config.resource_name()
        rest_api = self.chalice.get_resource("RestAPI")  # "turno" in every stage otherwise
        rest_api.add_property_override("Name", api_name)
        rest_api.add_property_override("DefinitionBody.info.title", api_name)
        self.alarms.api_errors("Api", api_name, API_GATEWAY_STAGE)

    # -- tables -------------------------------------------------------------------------------
    def _tables(self, models: dict[str, Any], removal: RemovalPolicy) -> dict[str, CfnResource]:
        tables = {}
        for spec in TABLES:
            shape = cfn_definition(models[spec.key])
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
                if shape[kind]:
                    properties[kind] = shape[kind]
            if shape["TimeToLiveAttribute"]:
                properties["TimeToLiveSpecification"] = {
                    "AttributeName": shape["TimeToLiveAttribute"], "Enabled": True}
            if spec.stream:
                properties["StreamSpecification"] = {"StreamViewType": spec.stream}
            table = CfnResource(self, f"{spec.key.title()}Table", type="AWS::DynamoDB::Table",
                                properties=properties)
            table.apply_removal_policy(removal)
            self.alarms.table_throttles(f"{spec.key.title()}Table", name)
            for index in shape["GlobalSecondaryIndexes"]:
                self.alarms.table_throttles(f"{spec.key.title()}Table{index['IndexName'].title()}Index",
                                            name, index["IndexName"])
            tables[spec.key] = table
            self.indexes[spec.key] = {i["IndexName"] for i in shape["GlobalSecondaryIndexes"]}
        return tables

    # -- functions ----------------------------------------------------------------------------
    def function_name(self, spec: FunctionSpec) -> str:
        return self.config.resource_name(spec.name)

    def _log_group(self, spec: FunctionSpec, removal: RemovalPolicy) -> logs.CfnLogGroup:
        # Named after the function, so it exists before the first invocation and the role can
        # name it without depending on the function.
        group = logs.CfnLogGroup(self, f"{spec.logical_id}Logs",
                                 log_group_name=f"/aws/lambda/{self.function_name(spec)}",
                                 retention_in_days=self.config.log_retention_days)
        group.apply_removal_policy(removal)
        return group

    def _failure_queue(self, spec: FunctionSpec, removal: RemovalPolicy) -> sqs.Queue:
        name = self.function_name(spec) + "-failures"
        queue = sqs.Queue(self, f"{spec.logical_id}Failures", queue_name=name,
                          retention_period=Duration.days(14),
                          encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True,
                          removal_policy=removal)
        self.alarms.queue_depth(f"{spec.logical_id}Failures", name)
        return queue

    def _role(self, spec: FunctionSpec) -> iam.Role:
        statements = [iam.PolicyStatement(
            sid="WriteOwnLogs",
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[self.log_groups[spec.logical_id].attr_arn],
        )]
        for key, access in spec.tables.items():
            table_arn = self.tables[key].get_att("Arn").to_string()
            statements.append(iam.PolicyStatement(
                sid=f"{key.title()}Table", actions=sorted(access.actions), resources=[table_arn]))
            for index, actions in access.indexes.items():
                if index not in self.indexes[key]:
                    raise RuntimeError(f"{spec.logical_id} is granted index {index!r}, which {key} lacks")
                statements.append(iam.PolicyStatement(
                    sid=f"{key.title()}Table{index.title()}Index", actions=sorted(actions),
                    resources=[f"{table_arn}/index/{index}"]))
        if spec.logical_id in self.failure_queues:
            statements.append(iam.PolicyStatement(
                sid="SendFailedEvents", actions=["sqs:SendMessage"],
                resources=[self.failure_queues[spec.logical_id].queue_arn]))
        return iam.Role(
            self, f"{spec.logical_id}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Turno {self.config.name} {spec.name}: only what its code uses",
            inline_policies={"access": iam.PolicyDocument(statements=statements)},
        )

    def _wire_function(self, spec: FunctionSpec, packaged: dict[str, Any]) -> None:
        function = self.chalice.get_resource(spec.logical_id)
        name = self.function_name(spec)
        function.add_property_override("FunctionName", name)
        function.add_property_override("Role", self.roles[spec.logical_id].role_arn)
        function.add_resource_dependency(self.log_groups[spec.logical_id])
        self.alarms.function(spec.logical_id, name)
        if spec.invocation is Invocation.ASYNC:
            config = lambda_.CfnEventInvokeConfig(
                self, f"{spec.logical_id}InvokeConfig",
                function_name=function.ref,
                qualifier="$LATEST",
                maximum_retry_attempts=ASYNC_RETRY_ATTEMPTS,
                destination_config=lambda_.CfnEventInvokeConfig.DestinationConfigProperty(
                    on_failure=lambda_.CfnEventInvokeConfig.OnFailureProperty(
                        destination=self.failure_queues[spec.logical_id].queue_arn)),
            )
            config.add_resource_dependency(function)
            self.alarms.failed_deliveries(spec.logical_id, name)
        elif spec.invocation is Invocation.API:
            events = packaged["Properties"].get("Events") or {}
            if events:
                raise RuntimeError(f"{spec.logical_id} is declared as the API handler but has events {events}")


class PrecompiledChalice(Chalice):
    """Chalice's construct, with bytecode added to the package before it becomes the CDK asset."""

    def __init__(self, scope: Construct, id: str, *, bytecode_cache: Path, **kwargs: Any) -> None:
        self._bytecode_cache = bytecode_cache
        super().__init__(scope, id, **kwargs)

    def _package_app(self) -> None:  # chalice 1.34: packages into self._sam_package_dir
        super()._package_app()
        precompile_zip(Path(self._sam_package_dir) / "deployment.zip", self._bytecode_cache)


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
