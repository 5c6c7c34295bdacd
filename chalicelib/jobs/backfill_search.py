"""`python -m chalicelib.jobs.backfill_search <business id>...`: index what was stored before prefix search
(services/search_backfill.py), with the stage's settings and credentials from the environment."""
from __future__ import annotations

import sys

from .. import wiring
from ..services.search_backfill import backfill


def main(business_ids: list[str]) -> None:
    for business_id in business_ids:
        print(business_id, backfill(wiring.store(), wiring.clients(), business_id), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
