"""`python -m chalicelib.jobs.backfill_plans <business id>...`: give plans sold before the period's figures
read the agenda index their keys (repositories/plans.py `backfill_period_keys`), with the stage's settings
and credentials from the environment. Run once after deploying; a second run finds nothing to do."""
from __future__ import annotations

import sys

from ..repositories.plans import backfill_period_keys


def main(business_ids: list[str]) -> None:
    for business_id in business_ids:
        print(business_id, backfill_period_keys(business_id), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
