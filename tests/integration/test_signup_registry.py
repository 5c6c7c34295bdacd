"""Amazon's DynamoDB Local keeps the sign-up's Registry contract (tests/registry_contract.py), the race for
one slug included: real transactions, concurrent threads, no serialising fixture."""
import pytest

from tests.registry_contract import RegistryContract

pytestmark = pytest.mark.slow


class TestDynamoDBLocalRegistry(RegistryContract):
    @pytest.fixture
    def registry(self, dynamodb):
        from chalicelib.repositories.signups import DynamoRegistry

        return DynamoRegistry()
