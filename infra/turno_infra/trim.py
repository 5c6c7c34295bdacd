"""Leave out of the dependency layer what the functions never load (issue 17: at most 15 MB zipped).

The layer is what pip installs for requirements.txt, and three things in it are big and mostly unused:
- Babel's locale data: every CLDR locale (~30 MB unzipped). Turno speaks LOCALES; Babel loads a locale
  with its parents (es_419 -> es -> root), so those are kept and nothing else.
- botocore's service models: ~400 services (~22 MB unzipped). The functions make clients for
  BOTOCORE_SERVICES only (DynamoDB through PynamoDB and Powertools' idempotency, Cognito, SES v2, SNS;
  STS for the credential chain); the top-level data files (endpoints, partitions, retries) stay.
- modules no function imports: packages' own test suites, dnspython (email-validator loads it only for
  deliverability checks, which Turno turns off), Powertools' event handler (Chalice routes instead),
  pycparser (cffi's build-time C parser);
- each package's `*.dist-info/RECORD`: pip's list of the files to remove on uninstall (botocore's names
  every model it shipped); metadata lookups read METADATA, which stays.
tests/infra/test_package.py unzips the trimmed package as Lambda does and imports every module,
formats in every locale and creates every client from it, so a trim too far fails there.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

LOCALES = ("cs", "en", "es", "et", "it")  # as chalicelib/notifications/render.py and api/pages.py
BOTOCORE_SERVICES = ("cognito-idp", "dynamodb", "sesv2", "sns", "sts")
UNUSED_PACKAGES = ("dns", "pycparser", "aws_lambda_powertools/event_handler")
SITE_PACKAGES = "/site-packages/"  # the layer's python/lib/python3.X/site-packages/


def babel_locales(locales=LOCALES) -> set[str]:
    """The locales and every parent Babel loads with them, up to root."""
    from babel.core import get_global

    exceptions = get_global("parent_exceptions")
    kept = {"root"}
    for name in locales:
        while name != "root":
            kept.add(name)
            name = exceptions.get(name) or (name.rsplit("_", 1)[0] if "_" in name else "root")
    return kept


def left_out(name: str, locales: set[str]) -> bool:
    """Whether a layer entry is one the functions never load."""
    if SITE_PACKAGES not in name:
        return False
    parts = name.split(SITE_PACKAGES, 1)[1].split("/")
    path = "/".join(parts)
    if path.startswith("babel/locale-data/") and path.endswith(".dat"):
        return parts[-1][:-len(".dat")] not in locales
    if path.startswith("botocore/data/") and len(parts) > 3:
        return parts[2] not in BOTOCORE_SERVICES
    if len(parts) > 2 and parts[1] == "tests":
        return True
    if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "RECORD":
        return True
    return any(path.startswith(package + "/") for package in UNUSED_PACKAGES)


def trim_layer(package: Path) -> int:
    """Rewrite the layer's zip without what `left_out` names; returns how many entries went."""
    locales = babel_locales()
    trimmed = package.with_suffix(".trim.zip")
    dropped = 0
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(trimmed, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if left_out(info.filename, locales):
                dropped += 1
                continue
            out.writestr(info, source.read(info), compress_type=info.compress_type)
    trimmed.replace(package)
    return dropped
