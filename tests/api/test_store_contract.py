"""DynamoDB through moto keeps the AgendaStore contract (tests/store_contract.py)."""
from tests.store_contract import AgendaStoreContract


class TestMotoAgendaStore(AgendaStoreContract):
    pass
