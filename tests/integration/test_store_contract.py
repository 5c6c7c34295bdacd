"""Amazon's DynamoDB Local keeps the AgendaStore contract (tests/store_contract.py): real transactions,
real cancellation reasons."""
import pytest

from tests.store_contract import AgendaStoreContract

pytestmark = pytest.mark.slow


class TestDynamoDBLocalAgendaStore(AgendaStoreContract):
    pass
