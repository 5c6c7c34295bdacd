"""`python -m chalicelib.jobs.backfill_privacy <business id>...`: what retention and erasure need from data stored
before them (services/privacy_backfill.py), with the stage's settings and credentials from the environment."""
from __future__ import annotations

import sys

from .. import wiring
from ..services.privacy_backfill import backfill


def main(business_ids: list[str]) -> None:
    for business_id in business_ids:
        print(business_id, backfill(wiring.clients(), business_id), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
