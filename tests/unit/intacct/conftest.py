"""Fixtures for the client's unit tests; the fake gateway itself lives in ``intacct_fakes``."""

from __future__ import annotations

import pytest
from intacct_fakes import SENDER_PASSWORD, USER_PASSWORD, FakeGateway

from ledgerbridge.intacct import Login, Secret, Sender


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def sender() -> Sender:
    return Sender("ledgerbridge", Secret(SENDER_PASSWORD))


@pytest.fixture
def login() -> Login:
    return Login("DEMO", "xml_gateway", Secret(USER_PASSWORD))
