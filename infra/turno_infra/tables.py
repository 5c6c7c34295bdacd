"""The DynamoDB tables, built from the PynamoDB models in `chalicelib/repositories/tables.py`.

Keys, attribute definitions, indexes and the TTL attribute are read from the models (PynamoDB's
own `_get_schema()`, the one it uses for CreateTable), so the stack and the code cannot drift.
`tests/infra` checks the synthesized template against the models and `table_definition()`.
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
    key: str                     # how infra refers to it ("main", "idempotency")
    model: str                   # the PynamoDB model in chalicelib.repositories.tables
    env_var: str                 # how the functions learn its name
    suffix: str = ""             # table name: turno-<stage>[-suffix]
    stream: str | None = None    # a StreamViewType, only for tables a function consumes


TABLES = (
    TableSpec("main", "Item", "TURNO_TABLE"),
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


def load_models(project_dir: Path) -> dict[str, Any]:
    """The models of `TABLES`, imported from the project that is being packaged."""
    if str(project_dir) not in sys.path:
        sys.path.insert(0, str(project_dir))
    with sandboxed_environ(TURNO_STAGE="dev"):  # names are irrelevant here; only shapes are read
        module = importlib.import_module(MODELS_MODULE)
    found = Path(module.__file__).resolve()
    if not found.is_relative_to(project_dir.resolve()):
        raise RuntimeError(f"{MODELS_MODULE} was imported from {found}, not from {project_dir}")
    return {spec.key: getattr(module, spec.model) for spec in TABLES}


def cfn_definition(model: Any) -> dict[str, Any]:
    """Keys, indexes and TTL of a PynamoDB model, spelled as AWS::DynamoDB::Table properties."""
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
    }
