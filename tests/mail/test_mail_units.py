"""Mail facts read from UBL (EHF, Peppol, OIOUBL, credit notes), placeholders per language, Message-IDs of
resends, the backoff policy, and an SMTP server that goes silent after the message (outcome unknown)."""

from __future__ import annotations

import random
import socket
import threading
from datetime import date, timedelta
from decimal import Decimal
from email.message import EmailMessage

import pytest
from mailfixtures import INVOICES, free_port
from waiting import CAP_S

from app.mail.compose import resend_message_id
from app.mail.facts import read_facts
from app.mail.outbox import RetryPolicy
from app.mail.transports import SmtpTransport, TemporaryFailure, UncertainDelivery


def test_facts_of_an_ehf_invoice() -> None:
    facts = read_facts((INVOICES / "no-b2b-single.ehf.xml").read_bytes())
    assert (facts.kind, facts.number, facts.currency, facts.amount) == (
        "Invoice",
        "F-1001",
        "NOK",
        Decimal("3112.50"),
    )
    assert facts.due_date == date(2026, 12, 4)
    assert (facts.customer_name, facts.customer_email) == (
        "Brønnøysundregistrene",
        "kari.nordmann@example.no",
    )
    assert facts.seller_name == "Fjellstua Kurs"


def test_facts_of_oioubl_take_the_due_date_from_payment_means_and_the_order_reference() -> None:
    facts = read_facts((INVOICES / "dk-ean-public.oioubl.xml").read_bytes())
    assert facts.currency == "DKK" and facts.amount == Decimal("3112.50")
    assert facts.order_id == "REK-2026-118" and facts.customer_email == "hans@dls.example.dk"
    # the due date of an OIOUBL invoice is PaymentMeans/PaymentDueDate (58: the seller's IBAN, no BIC)
    assert facts.due_date == date(2026, 12, 4)
    assert facts.placeholders("da")["due_date"] == "4. december 2026"
    with_means = read_facts((INVOICES / "dk-seller-ean.oioubl.xml").read_bytes())
    assert with_means.due_date is not None  # PaymentMeans/PaymentDueDate


def test_facts_of_a_credit_note() -> None:
    facts = read_facts((INVOICES / "no-b2b-credit-full.ehf.xml").read_bytes())
    assert facts.kind == "CreditNote" and facts.number and facts.amount is not None


@pytest.mark.parametrize(
    ("language", "amount", "due"),
    [
        ("nb", "3\xa0112,50", "4. desember 2026"),
        ("da", "3.112,50", "4. december 2026"),
        ("sv", "3\xa0112,50", "4 december 2026"),
        ("en", "3,112.50", "4 December 2026"),
    ],
)
def test_placeholders_are_formatted_for_the_accounts_language(language: str, amount: str, due: str) -> None:
    values = read_facts((INVOICES / "no-b2b-single.ehf.xml").read_bytes()).placeholders(language)
    assert (values["amount"], values["due_date"], values["currency"]) == (amount, due, "NOK")


def test_resends_get_new_message_ids_of_the_same_document() -> None:
    assert resend_message_id("<abc@nordubl>", 1) == "<abc.resend-1@nordubl>"
    assert resend_message_id("<abc.resend-1@nordubl>", 2) == "<abc.resend-2@nordubl>"


def test_backoff_doubles_is_jittered_and_capped() -> None:
    policy = RetryPolicy(max_attempts=10, base_seconds=60, max_seconds=600)
    rng = random.Random(5)
    for attempt, ceiling in [(1, 60), (2, 120), (3, 240), (4, 480), (5, 600), (9, 600)]:
        delays = [policy.delay(attempt, rng) for _ in range(200)]
        assert all(timedelta(seconds=ceiling / 2) <= d <= timedelta(seconds=ceiling) for d in delays)
        assert len(set(delays)) > 150  # spread out, not one value


def _silent_server(mode: str) -> tuple[int, threading.Thread]:
    """A minimal SMTP server: ``after-data`` takes the whole message and hangs up without an answer;
    ``greeting-421`` refuses at once with 421."""
    port = free_port()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)

    def serve() -> None:
        conn, _ = srv.accept()
        with conn, srv:
            f = conn.makefile("rb")
            if mode == "greeting-421":
                conn.sendall(b"421 4.3.2 service not available\r\n")
                return
            conn.sendall(b"220 localhost ESMTP\r\n")
            while line := f.readline():
                cmd = line.strip().upper()
                if cmd.startswith(b"EHLO"):
                    conn.sendall(b"250-localhost\r\n250 8BITMIME\r\n")
                elif cmd.startswith((b"MAIL", b"RCPT")):
                    conn.sendall(b"250 ok\r\n")
                elif cmd == b"DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    while f.readline() not in (b".\r\n", b""):
                        pass
                    return  # the message is here; the answer never comes
                else:
                    conn.sendall(b"250 ok\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return port, thread


def _message() -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = "a@example.no", "b@example.no", "x", "<m@example.no>"
    m.set_content(".leading dot\nbody\n")
    return m


def test_a_connection_lost_after_the_message_is_an_uncertain_delivery() -> None:
    port, thread = _silent_server("after-data")
    with pytest.raises(UncertainDelivery, match="no answer after the message was sent"):
        SmtpTransport("127.0.0.1", port, security="none", timeout=5).send(
            _message(), "a@example.no", ["b@example.no"]
        )
    thread.join(CAP_S)


def test_a_421_greeting_is_temporary() -> None:
    port, thread = _silent_server("greeting-421")
    with pytest.raises(TemporaryFailure, match="421"):
        SmtpTransport("127.0.0.1", port, security="none", timeout=5).send(
            _message(), "a@example.no", ["b@example.no"]
        )
    thread.join(CAP_S)
