"""The DynamoDB tables, built from `chalicelib/repositories/tables.py`, the one place they are written.

The main table's keys, indexes and TTL come from its `table_definition()`; the idempotency table's
from its PynamoDB model (PynamoDB's own `_get_schema()`, the one it uses for CreateTable). The main
table's `table_definition()` is also checked against its model here, so the stack, the definition and
the models cannot drift; `tests/infra` checks the synthesized template against both.

A table's stream is its model's `Meta.stream_view_type` (what PynamoDB's `create_table` turns on locally
and in tests). `table_definition()` need not repeat it; if it does, it must agree. `TableSpec.stream`
says that a function reads the stream, and synthesis stops if it and the model disagree: a stream the
code relies on cannot silently be missing from the stack, nor one appear that nothing reads.
"""
from __future__ import annotations

import importlib
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator


@dataclass(frozen=True)
class TableSpec:
    key: str                       # how infra refers to it ("main", "idempotency")
    model: str                     # the PynamoDB model in chalicelib.repositories.tables
    env_var: str                   # how the functions learn its name (chalicelib/config.py)
    suffix: str = ""               # table name: turno-<stage>[-suffix]
    definition: str | None = None  # a function of the module returning the table's CloudFormation shape
    stream: bool = False           # a function reads its stream (view type: the model's Meta.stream_view_type)


TABLES = (
    TableSpec("main", "Item", "TURNO_TABLE", definition="table_definition", stream=True),
    TableSpec("idempotency", "IdempotencyRecord", "TURNO_IDEMPOTENCY_TABLE", suffix="idempotency"),
)
MODELS_MODULE = "chalicelib.repositories.tables"


@contextmanager
def sandboxed_environ(**overrides: str) -> Iterator[None]:
    """Importing the app reads settings from the environment (and Chalice's packaging writes the
    stage's variables into it): keep both from leaking into, or depending on, the caller's shell."""
    saved = dict(os.environ)
    for name in [n for n in os.environ if n.startswith("TURNO_")]:
        del os.environ[name]
    os.environ.update(overrides)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def load_module(project_dir: Path) -> Any:
    """`chalicelib.repositories.tables`, imported from the project that is being packaged."""
    if str(project_dir) not in sys.path:
        sys.path.insert(0, str(project_dir))
    with sandboxed_environ(TURNO_STAGE="dev"):  # names are irrelevant here; only shapes are read
        module = importlib.import_module(MODELS_MODULE)
    found = Path(module.__file__).resolve()
    if not found.is_relative_to(project_dir.resolve()):
        raise RuntimeError(f"{MODELS_MODULE} was imported from {found}, not from {project_dir}")
    return module


def shapes(module: Any) -> dict[str, dict[str, Any]]:
    """Each table's keys, indexes, TTL and stream as CloudFormation spells them, checked against its model."""
    result = {}
    for spec in TABLES:
        from_model = cfn_definition(getattr(module, spec.model))
        if spec.stream != bool(from_model["StreamViewType"]):
            raise RuntimeError(
                f"TableSpec {spec.key!r} says a function reads its stream: {spec.stream}, but the "
                f"{spec.model} model's Meta.stream_view_type is {from_model['StreamViewType']!r}: "
                "change both together")
        if spec.definition is None:
            result[spec.key] = from_model
            continue
        declared = {"LocalSecondaryIndexes": [], "GlobalSecondaryIndexes": [], "TimeToLiveAttribute": None,
                    "StreamViewType": from_model["StreamViewType"],  # the model's, unless the definition says
                    **getattr(module, spec.definition)()}
        if normalized(declared) != normalized(from_model):
            raise RuntimeError(
                f"{MODELS_MODULE}.{spec.definition}() and the {spec.model} model disagree:\n"
                f"  definition: {normalized(declared)}\n  model:      {normalized(from_model)}\n"
                "change both together")
        result[spec.key] = declared
    return result


def normalized(shape: dict[str, Any]) -> dict[str, Any]:
    """Order-free form of a table shape, for comparing two spellings of the same table."""
    def index_set(kind: str) -> list:
        return sorted((i["IndexName"], tuple((k["AttributeName"], k["KeyType"]) for k in i["KeySchema"]),
                       tuple(sorted((k, str(v)) for k, v in i["Projection"].items())))
                      for i in shape.get(kind) or [])
    return {
        "keys": [(k["AttributeName"], k["KeyType"]) for k in shape["KeySchema"]],
        "attributes": sorted((a["AttributeName"], a["AttributeType"]) for a in shape["AttributeDefinitions"]),
        "global_indexes": index_set("GlobalSecondaryIndexes"),
        "local_indexes": index_set("LocalSecondaryIndexes"),
        "ttl": shape.get("TimeToLiveAttribute"),
        "stream": shape.get("StreamViewType"),
    }


def cfn_definition(model: Any) -> dict[str, Any]:
    """Keys, indexes, TTL and stream of a PynamoDB model, spelled as AWS::DynamoDB::Table properties
    (`StreamViewType` is StreamSpecification's; None when the model has no stream)."""
    schema = model._get_schema()
    definitions: dict[str, str] = {}
    for attribute in schema["attribute_definitions"]:
        definitions[attribute["AttributeName"]] = attribute["AttributeType"]
    for index in schema["global_secondary_indexes"] + schema["local_secondary_indexes"]:
        for attribute in index["attribute_definitions"]:
            if definitions.setdefault(attribute["AttributeName"], attribute["AttributeType"]) != \
                    attribute["AttributeType"]:
                raise ValueError(f"{model.__name__}: {attribute['AttributeName']} has two types")

    def key_schema(keys: list[dict]) -> list[dict]:
        ordered = sorted(keys, key=lambda k: k["KeyType"] != "HASH")
        return [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in ordered]

    def indexes(kind: str) -> list[dict]:
        return [{
            "IndexName": index["index_name"],
            "KeySchema": key_schema(index["key_schema"]),
            "Projection": dict(index["projection"]),
        } for index in schema[kind]]

    ttl = model._ttl_attribute()
    return {
        "KeySchema": key_schema(schema["key_schema"]),
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in definitions.items()],
        "GlobalSecondaryIndexes": indexes("global_secondary_indexes"),
        "LocalSecondaryIndexes": indexes("local_secondary_indexes"),
        "TimeToLiveAttribute": ttl.attr_name if ttl is not None else None,
        "StreamViewType": getattr(model.Meta, "stream_view_type", None),
    }
