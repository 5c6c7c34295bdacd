"""One suite for every Registry (the sign-up's port): the fake (tests/unit), moto (tests/api) and DynamoDB
Local (tests/integration) each subclass `RegistryContract` and provide `registry`, `store` and `login_of`
(subject -> (business id, staff id, email, level) or None). Each test opens businesses under slugs of its
own, so the back ends may share tables across tests."""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from chalicelib.domain.model import new_id
from chalicelib.domain.signup import Opening, owner_profile, starter_business
from chalicelib.errors import ConflictError, NotFoundError

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=timezone.utc)
RACERS = 12


def opening(slug: str, n: int = 0) -> Opening:
    email = f"owner{n}-{slug}@example.com"
    business = starter_business(new_id("biz"), slug, f"Salon {n}", "Europe/Madrid", "es", "EUR")
    return Opening(business, owner_profile(new_id("stf"), f"Owner {n}", email), f"sub-{uuid.uuid4()}", email, NOW)


def stored_login(subject: str):
    """The login DynamoDB holds for a directory subject, as the contract compares it (the real back ends)."""
    from chalicelib.repositories import accounts

    found = accounts.by_sub(subject)
    return None if found is None else (found.business_id, found.staff_id, found.email, found.level)


class RegistryContract:
    @pytest.fixture
    def login_of(self):
        return stored_login

    @pytest.fixture
    def slug(self) -> str:
        return f"salon-{uuid.uuid4().hex[:10]}"

    def test_an_opening_claims_the_slug_and_writes_the_business_its_owner_and_the_login(self, registry, store,
                                                                                        login_of, slug):
        made = opening(slug)
        assert not registry.slug_taken(slug)
        registry.open(made)
        assert registry.slug_taken(slug) and store.business_id(slug) == made.business.id
        catalog = store.catalog(made.business.id)
        assert catalog.business == made.business and catalog.staff == (made.owner,)
        assert login_of(made.owner_subject) == (made.business.id, made.owner.id, made.owner_email, 1)

    def test_a_second_opening_of_the_slug_is_refused_and_writes_nothing(self, registry, store, login_of, slug):
        first, second = opening(slug, 1), opening(slug, 2)
        registry.open(first)
        with pytest.raises(ConflictError) as refused:
            registry.open(second)
        assert (refused.value.code, refused.value.field) == ("slug_taken", "slug")
        assert store.business_id(slug) == first.business.id and login_of(second.owner_subject) is None
        with pytest.raises(NotFoundError):
            store.catalog(second.business.id)

    def test_closing_takes_back_everything_the_opening_wrote(self, registry, store, login_of, slug):
        made = opening(slug)
        registry.open(made)
        registry.close(made)
        assert not registry.slug_taken(slug) and login_of(made.owner_subject) is None
        with pytest.raises(NotFoundError):
            store.catalog(made.business.id)
        registry.open(opening(slug, 3))  # the slug is free again

    def test_racers_for_one_slug_one_opening_wins(self, registry, store, slug):
        openings = [opening(slug, n) for n in range(RACERS)]
        barrier = threading.Barrier(RACERS)

        def attempt(made: Opening):
            barrier.wait(timeout=30)
            try:
                registry.open(made)
                return made
            except Exception as error:  # every outcome is reported, not just the expected ones
                return error

        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            outcomes = list(pool.map(attempt, openings))
        winners = [o for o in outcomes if isinstance(o, Opening)]
        assert len(winners) == 1, outcomes
        assert {getattr(o, "code", repr(o)) for o in outcomes if o not in winners} == {"slug_taken"}
        assert store.business_id(slug) == winners[0].business.id

    def test_sign_ups_are_remembered_per_address_within_the_window(self, registry, slug):
        address = f"203.0.113.{uuid.uuid4().int % 250}-{slug}"
        assert registry.recent_signups(address, 0) == []
        registry.save_signups(address, [100.0, 200.0], keep=3600)
        assert registry.recent_signups(address, 150.0) == [200.0]
        assert registry.recent_signups(f"other-{address}", 0) == []
