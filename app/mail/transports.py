"""Hand a finished message to a mail provider: SMTP (smtplib), Amazon SES (boto3) or a folder of .eml files.

Every transport answers one of four ways, and the worker records each differently:

* it returns the provider's reply: the provider accepted the message (→ ``sent``);
* :class:`TemporaryFailure`: the provider certainly did not take the message and asks to try again later
  (SMTP 4xx, no connection, SES throttling) (→ ``queued`` again, with backoff);
* :class:`PermanentFailure`: the provider refused it for good (SMTP 5xx, SES ``MessageRejected``)
  (→ ``failed``, and the owner is told);
* :class:`UncertainDelivery`: the message was handed over but no answer came back (the connection broke
  or timed out after the message's last byte), so it may or may not have been accepted (→ ``unknown``;
  never retried automatically, since a retry could deliver it twice).

No transport retries on its own (botocore's retries are switched off): one call, one hand-over.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from app.config import Settings


class DeliveryError(Exception):
    """The provider did not (certainly) accept the message; ``str()`` is the reply or the error."""


class TemporaryFailure(DeliveryError):
    """Not accepted; the same message may be tried again later."""


class PermanentFailure(DeliveryError):
    """Refused for good: trying again gives the same answer."""


class UncertainDelivery(DeliveryError):
    """Handed over, but whether the provider accepted it is not known."""


class Transport(Protocol):
    name: str

    def send(self, message: EmailMessage, sender: str, recipients: list[str]) -> str:
        """Hand ``message`` over for delivery from ``sender`` (envelope) to ``recipients``; the reply."""
        ...


def message_bytes(message: EmailMessage) -> bytes:
    """The message as sent: CRLF line ends, long header lines folded (RFC 5322)."""
    return message.as_bytes(policy=SMTP_POLICY)


# -- file ----------------------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]")


class FileTransport:
    """Writes each message as ``<Message-ID>.eml`` into a folder: the zero-setup default.

    The file is written under a temporary name and renamed, so a reader never sees half a message; the
    same message written twice replaces itself.
    """

    name = "file"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, message: EmailMessage) -> Path:
        message_id = str(message["Message-ID"] or "").strip("<> ")
        return self.folder / (_UNSAFE.sub("_", message_id) + ".eml")

    def send(self, message: EmailMessage, sender: str, recipients: list[str]) -> str:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.path_for(message)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".eml")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(message_bytes(message))
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise TemporaryFailure(f"cannot write to {self.folder}: {exc}") from exc
        return f"written to {target}"


# -- SMTP ----------------------------------------------------------------------------------------------


def _classify(code: int, reply: bytes | str, what: str) -> DeliveryError:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    message = f"{what}: {code} {text}".strip()
    if 400 <= code < 500:
        return TemporaryFailure(message)
    if 500 <= code < 600:
        return PermanentFailure(message)
    return TemporaryFailure(message)


class SmtpTransport:
    """SMTP submission with smtplib: plain, STARTTLS (port 587) or implicit TLS (port 465), with AUTH.

    The conversation is driven step by step so that a failure can be placed: anything before the message's
    last byte is sent leaves it certainly undelivered; a broken connection after it is uncertain.
    """

    name = "smtp"

    def __init__(
        self,
        host: str,
        port: int,
        security: str = "starttls",
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        ca_file: Path | None = None,
        local_hostname: str | None = None,
    ) -> None:
        if security not in ("starttls", "ssl", "none"):
            raise ValueError(f"unknown SMTP security {security!r}: starttls, ssl or none")
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.password = password
        self.timeout = timeout
        self.ca_file = ca_file
        self.local_hostname = local_hostname

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)

    def _connect(self) -> smtplib.SMTP:
        smtp: smtplib.SMTP
        if self.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                self.host,
                self.port,
                timeout=self.timeout,
                context=self._context(),
                local_hostname=self.local_hostname,
            )
        else:
            smtp = smtplib.SMTP(
                self.host, self.port, timeout=self.timeout, local_hostname=self.local_hostname
            )
        try:
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=self._context())  # raises SMTPNotSupportedError without STARTTLS
                smtp.ehlo()
            if self.user:
                smtp.login(self.user, self.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage, sender: str, recipients: list[str]) -> str:
        data = message_bytes(message)
        # RFC 5321 §4.5.2: a line starting with a dot gets a second one; the message ends with CRLF . CRLF
        payload = re.sub(rb"(?m)^\.", b"..", data)
        if not payload.endswith(b"\r\n"):
            payload += b"\r\n"
        payload += b".\r\n"
        try:
            smtp = self._connect()
        except smtplib.SMTPResponseException as exc:
            raise _classify(exc.smtp_code, exc.smtp_error, "connect") from exc
        except (OSError, smtplib.SMTPException) as exc:  # refused, unreachable, TLS, no STARTTLS offered
            raise TemporaryFailure(f"connect to {self.host}:{self.port}: {exc}") from exc
        try:
            handed_over = False
            try:
                code, reply = smtp.mail(sender)
                if code != 250:
                    raise _classify(code, reply, "MAIL FROM")
                for rcpt in recipients:
                    code, reply = smtp.rcpt(rcpt)
                    if code not in (250, 251):
                        raise _classify(code, reply, f"RCPT TO {rcpt}")
                code, reply = smtp.docmd("DATA")
                if code != 354:
                    raise _classify(code, reply, "DATA")
                handed_over = True  # from the first byte of the message on, a lost answer is uncertain
                smtp.send(payload)
                code, reply = smtp.getreply()
            except DeliveryError:
                raise
            except (OSError, smtplib.SMTPException) as exc:
                if handed_over:
                    raise UncertainDelivery(f"no answer after the message was sent: {exc}") from exc
                raise TemporaryFailure(f"SMTP conversation broke off: {exc}") from exc
            if code != 250:
                raise _classify(code, reply, "end of DATA")
            return f"{code} {reply.decode('utf-8', 'replace')}"
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


# -- Amazon SES ----------------------------------------------------------------------------------------

#: SES error codes that ask to try again later (the request was not processed).
SES_TEMPORARY = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "ServiceUnavailable",
        "RequestThrottled",
    }
)


class SesTransport:
    """Amazon SES ``SendRawEmail`` (v1 API) with boto3: the whole MIME message, attachments included.

    Credentials come from boto3's usual chain (environment, shared files, instance role).
    """

    name = "ses"

    def __init__(self, region: str, endpoint_url: str | None = None, timeout: float = 60.0) -> None:
        from app.extras import require

        boto3 = require("boto3", "s3", "NORDUBL_MAIL_TRANSPORT", "Amazon SES")
        from botocore.config import Config

        config = Config(
            region_name=region,
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"total_max_attempts": 1, "mode": "standard"},  # the outbox retries, never botocore
        )
        self.client: Any = boto3.client("ses", endpoint_url=endpoint_url, config=config)

    def send(self, message: EmailMessage, sender: str, recipients: list[str]) -> str:
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            ConnectTimeoutError,
            EndpointConnectionError,
        )

        try:
            answer = self.client.send_raw_email(
                Source=sender, Destinations=recipients, RawMessage={"Data": message_bytes(message)}
            )
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
            text = f"SES {code}: {error.get('Message', '')}".strip()
            if code in SES_TEMPORARY:
                raise TemporaryFailure(text) from exc
            if status >= 500:  # InternalFailure and the like: SES may have taken the message
                raise UncertainDelivery(text) from exc
            raise PermanentFailure(text) from exc  # MessageRejected, MailFromDomainNotVerified, …
        except (EndpointConnectionError, ConnectTimeoutError) as exc:  # the request never arrived
            raise TemporaryFailure(f"SES not reachable: {exc}") from exc
        except (BotoCoreError, OSError) as exc:  # read timeout, connection closed: the request did arrive
            raise UncertainDelivery(f"SES gave no answer: {exc}") from exc
        return f"SES MessageId {answer.get('MessageId', '')}"


def make_transport(settings: Settings, name: str | None = None) -> Transport:
    """The transport named ``name`` (default: ``NORDUBL_MAIL_TRANSPORT``) configured from ``settings``."""
    chosen = name or settings.mail_transport
    if chosen == "file":
        return FileTransport(settings.mail_outbox_dir)
    if chosen == "smtp":
        return SmtpTransport(
            settings.smtp_host,
            settings.smtp_port,
            security=settings.smtp_security,
            user=settings.smtp_user,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            timeout=settings.smtp_timeout_seconds,
            ca_file=settings.smtp_ca_file,
        )
    if chosen == "ses":
        return SesTransport(
            settings.ses_region, endpoint_url=settings.ses_endpoint_url, timeout=settings.smtp_timeout_seconds
        )
    raise ValueError(f"unknown mail transport {chosen!r}: file, smtp or ses")


__all__ = [
    "DeliveryError",
    "FileTransport",
    "PermanentFailure",
    "SesTransport",
    "SmtpTransport",
    "TemporaryFailure",
    "Transport",
    "UncertainDelivery",
    "make_transport",
    "message_bytes",
]
