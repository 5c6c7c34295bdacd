"""The in-memory store keeps the AgendaStore contract (tests/store_contract.py)."""
import pytest

from tests.fake_store import FakeAgendaStore
from tests.store_contract import AgendaStoreContract


class TestFakeAgendaStore(AgendaStoreContract):
    @pytest.fixture
    def store(self):
        return FakeAgendaStore()
