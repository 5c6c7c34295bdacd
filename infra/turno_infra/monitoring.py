"""CloudWatch alarms, all sent to one SNS topic per stage. Thresholds are "any at all": each of
these is a bug or a capacity problem someone must look at, and none happens in normal operation;
the sending reputation and SMS spend alarm before AWS's own limits stop messages."""
from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from constructs import Construct

FIVE_MINUTES = Duration.minutes(5)


class Alarms(Construct):
    def __init__(self, scope: Construct, id: str, *, topic: sns.ITopic) -> None:
        super().__init__(scope, id)
        self.topic = topic

    def any(self, id: str, description: str, metric: cloudwatch.IMetric) -> cloudwatch.Alarm:
        """Alarm when the metric reaches 1 in a period; no data means nothing wrong."""
        return self.above(id, description, metric, 1)

    def function(self, id: str, function_name: str) -> None:
        """Unhandled errors and throttles of one Lambda function."""
        for metric_name, what in (("Errors", "failed with an unhandled error"),
                                  ("Throttles", "was throttled (concurrency limit)")):
            self.any(f"{id}{metric_name}", f"{function_name} {what}",
                     _metric("AWS/Lambda", metric_name, {"FunctionName": function_name}))

    def failed_deliveries(self, id: str, function_name: str) -> None:
        """Failed events (or a stream's failed batch) that could not even reach the failure queue: lost."""
        self.any(f"{id}DestinationDeliveryFailures",
                 f"{function_name} could not send failed events to its failure queue",
                 _metric("AWS/Lambda", "DestinationDeliveryFailures", {"FunctionName": function_name}))

    def stream_lag(self, id: str, function_name: str, threshold: Duration) -> None:
        """A stream function falling behind: the age of the newest record it was handed (IteratorAge)."""
        self.above(f"{id}IteratorAge",
                   f"{function_name} is {threshold.to_human_string()} or more behind its stream",
                   _metric("AWS/Lambda", "IteratorAge", {"FunctionName": function_name}, statistic="Maximum"),
                   threshold.to_milliseconds())

    def queue_depth(self, id: str, queue_name: str) -> None:
        """Messages waiting in a dead-letter / failure queue: each is an event that was not handled."""
        self.any(f"{id}Depth", f"{queue_name} holds failed events",
                 _metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": queue_name},
                         statistic="Maximum"))

    def queue_age(self, id: str, queue_name: str, threshold: Duration) -> None:
        """A work queue whose oldest unit waited this long: its function is failing or cannot keep up."""
        self.above(f"{id}Age", f"{queue_name} has units waiting {threshold.to_human_string()} or more",
                   _metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": queue_name},
                           statistic="Maximum"), threshold.to_seconds())

    def table_throttles(self, id: str, table_name: str, index_name: str | None = None) -> None:
        """Reads or writes refused by an on-demand table or one of its global indexes."""
        dimensions = {"TableName": table_name}
        if index_name:
            dimensions["GlobalSecondaryIndexName"] = index_name
        what = f"{table_name} index {index_name}" if index_name else table_name
        self.any(f"{id}Throttles", f"{what} throttled reads or writes", cloudwatch.MathExpression(
            expression="reads + writes",
            using_metrics={
                "reads": _metric("AWS/DynamoDB", "ReadThrottleEvents", dimensions),
                "writes": _metric("AWS/DynamoDB", "WriteThrottleEvents", dimensions),
            },
            label=f"{what} throttle events",
            period=FIVE_MINUTES,
        ))

    def topic_failures(self, id: str, topic_name: str) -> None:
        """Notifications a topic could not deliver to its subscriber (the SNS handler): events lost."""
        self.any(f"{id}Failures", f"{topic_name} could not deliver notifications",
                 _metric("AWS/SNS", "NumberOfNotificationsFailed", {"TopicName": topic_name}))

    def ses_reputation(self, id: str) -> None:
        """The account's bounce and complaint rates, well before SES's own review thresholds (5 %, 0.1 %)."""
        for metric_name, threshold, what in (("Reputation.BounceRate", 0.04, "bounce rate reached 4 %"),
                                             ("Reputation.ComplaintRate", 0.0008, "complaint rate reached 0.08 %")):
            self.above(f"{id}{metric_name.split('.')[1]}", f"SES {what}",
                       _metric("AWS/SES", metric_name, {}, statistic="Maximum", period=Duration.hours(1)),
                       threshold)

    def sms_spend(self, id: str, limit_usd: int) -> None:
        """This month's SMS spend, before the account's spend limit silently stops every SMS."""
        self.above(f"{id}Spend", f"SMS spend this month reached {limit_usd} USD",
                   _metric("AWS/SNS", "SMSMonthToDateSpentUSD", {}, statistic="Maximum",
                           period=Duration.hours(1)), limit_usd)

    def above(self, id: str, description: str, metric: cloudwatch.IMetric, threshold: float) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self, id, alarm_description=description, metric=metric, threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        return alarm

    def api_errors(self, id: str, api_name: str, stage: str) -> None:
        """5xx answers from API Gateway: a 500 is always a bug (see DESIGN.md)."""
        self.any(f"{id}5XX", f"{api_name} answered 5xx",
                 _metric("AWS/ApiGateway", "5XXError", {"ApiName": api_name, "Stage": stage}))


def _metric(namespace: str, name: str, dimensions: dict[str, str], statistic: str = "Sum",
            period: Duration = FIVE_MINUTES) -> cloudwatch.Metric:
    return cloudwatch.Metric(namespace=namespace, metric_name=name, dimensions_map=dimensions or None,
                             statistic=statistic, period=period)
