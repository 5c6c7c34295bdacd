import pytest

from tests.reports.helpers import Agenda


@pytest.fixture
def agenda(client, store, login):
    """The salon's agenda, each change handed to the stream function as the table's stream would."""
    return Agenda(client, store)
