"""Pure booking rules: no chalice, boto3 or PynamoDB may be imported below this package."""
