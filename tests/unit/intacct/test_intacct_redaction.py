"""Passwords and session ids never show up in logs, exceptions or reprs, whatever happens."""

from __future__ import annotations

import logging

import httpx
import pytest
from intacct_fakes import SENDER_PASSWORD, USER_PASSWORD, FakeGateway, error_xml, make_client, response_xml, run

from ledgerbridge.intacct import (
    IntacctError,
    Login,
    RedactingFilter,
    Secret,
    Sender,
    Session,
    create,
    read_by_name,
    record,
)


def secrets_of(gateway: FakeGateway) -> list[str]:
    return [SENDER_PASSWORD, USER_PASSWORD, *gateway.sessions, *(f"SESSION-{n:04d}-abcdef" for n in range(1, 4))]


def test_debug_logs_of_a_whole_troubled_run_hold_no_secret(gateway: FakeGateway, sender: Sender, login: Login,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    # The gateway itself echoes the session id back in an error text, as badly behaved servers do.
    echoed = httpx.Response(200, text=response_xml(control_status="failure", control_errors=error_xml(
        "GW-0010", "rate limit for session SESSION-0002-abcdef")))

    async def scenario() -> None:
        async with make_client(gateway, sender, login) as client:
            await client.execute([read_by_name("GLACCOUNT", ["6100"])])
            gateway.expire_sessions()
            gateway.script.append(httpx.Response(429))
            await client.execute([create("c-1", record("CLASS", {"CLASSID": "C1"}))])
            gateway.script.append(echoed)
            await client.execute([read_by_name("GLACCOUNT", ["6100"])])
            gateway.script.append(httpx.ReadTimeout("slow"))
            try:
                await client.execute([create("c-2", record("CLASS", {"CLASSID": "C2"}))])
            except IntacctError:
                logging.getLogger("ledgerbridge.intacct").exception("export failed")

    run(scenario())
    assert "POST" in caplog.text
    assert "signing in again" in caplog.text
    for secret in secrets_of(gateway):
        assert secret not in caplog.text
    # The logs are not empty of substance: the redacted request bodies are there.
    assert "<password>***</password>" in caplog.text
    assert "<sessionid>***</sessionid>" in caplog.text


def test_exceptions_do_not_carry_secrets_even_when_the_gateway_echoes_them(
        gateway: FakeGateway, sender: Sender, login: Login) -> None:
    gateway.script.append(httpx.Response(200, text=response_xml(control_status="failure", control_errors=error_xml(
        "XL03000006", f"password {USER_PASSWORD} rejected for sender password {SENDER_PASSWORD}"))))
    with pytest.raises(IntacctError) as raised:
        run(make_client(gateway, sender, login).session())
    assert USER_PASSWORD not in str(raised.value)
    assert SENDER_PASSWORD not in str(raised.value)


def test_reprs_hide_secrets(gateway: FakeGateway, sender: Sender, login: Login) -> None:
    client = make_client(gateway, sender, login)
    session = run(client.session())
    texts = [repr(client), repr(sender), repr(login), repr(session), str(session.session_id),
             repr(Session(Secret("another-session-77"), "https://x"))]
    for text in texts:
        for secret in [*secrets_of(gateway), "another-session-77"]:
            assert secret not in text


def test_the_filter_scrubs_records_of_other_loggers_through_a_handler(caplog: pytest.LogCaptureFixture) -> None:
    Secret("handler-secret-991")
    caplog.handler.addFilter(RedactingFilter())
    caplog.set_level(logging.INFO)
    logging.getLogger("someone.else").info("leaked %s", "handler-secret-991")
    assert "handler-secret-991" not in caplog.text
    assert "leaked ***" in caplog.text
