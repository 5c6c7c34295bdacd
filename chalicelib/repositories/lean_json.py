"""DynamoDB's read responses taken as they come off the wire.

botocore's JSON parser walks every attribute value of a Query against the service model (~5 us each:
most of a warm availability request's CPU, measured in bench/request.py). For reads the wire format
already is the parsed form - attribute values are {"S": ...}, {"N": "..."} both ways - except binary
values, which botocore decodes from base64. So successful reads without binary values skip the walk;
everything else (errors, writes, anything with "B"/"BS") takes botocore's own parser.
"""
from __future__ import annotations

import json

from botocore.parsers import JSONParser, ResponseParserFactory

LEAN_OUTPUTS = frozenset({"QueryOutput", "GetItemOutput", "BatchGetItemOutput", "ScanOutput"})


class LeanJSONParser(JSONParser):
    def _do_parse(self, response, shape):
        body = response["body"]
        if shape is None or shape.name not in LEAN_OUTPUTS or b'"B":' in body or b'"BS":' in body:
            return super()._do_parse(response, shape)
        parsed = json.loads(body) if body else {}
        self._inject_response_metadata(parsed, response["headers"])
        return parsed


class LeanParsers(ResponseParserFactory):
    def create_parser(self, protocol_name):
        if protocol_name == "json":
            return LeanJSONParser(**self._defaults)
        return super().create_parser(protocol_name)


def make_lean(client) -> None:
    """Give a DynamoDB client the lean parser (botocore has no public hook for a client's parser)."""
    endpoint = client._endpoint
    if not isinstance(endpoint._response_parser_factory, LeanParsers):
        endpoint._response_parser_factory = LeanParsers()
