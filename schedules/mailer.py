"""SMTP delivery configured by environment variables (GLANEUR_SMTP_*).

Each message is multipart/alternative (plain text first, HTML second) and carries the
List-Unsubscribe headers mail clients turn into a one-click « Se désabonner » button.
"""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


class MailerError(RuntimeError):
    """SMTP is not configured or refused a message."""


@dataclass
class SmtpConfig:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "Glaneur <lettre@glaneur.invalid>"
    starttls: bool = False
    timeout: float = 30.0

    @classmethod
    def from_env(cls) -> SmtpConfig:
        """Read GLANEUR_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM and _STARTTLS."""
        host = os.environ.get("GLANEUR_SMTP_HOST")
        if not host:
            raise MailerError("Envoi impossible : GLANEUR_SMTP_HOST n'est pas défini.")
        return cls(
            host=host,
            port=int(os.environ.get("GLANEUR_SMTP_PORT", "25")),
            user=os.environ.get("GLANEUR_SMTP_USER") or None,
            password=os.environ.get("GLANEUR_SMTP_PASSWORD") or None,
            sender=os.environ.get("GLANEUR_SMTP_FROM", cls.sender),
            starttls=os.environ.get("GLANEUR_SMTP_STARTTLS", "").lower() in ("1", "true", "oui", "yes"),
        )


def build_message(sender: str, recipient: str, subject: str, text: str, html: str,
                  unsubscribe_url: str | None = None) -> EmailMessage:
    """A multipart/alternative message with the unsubscribe headers of RFC 2369 and RFC 8058."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or None)
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


class Mailer:
    """One SMTP connection for a batch of messages (`with Mailer(config) as m: m.send(msg)`)."""

    def __init__(self, config: SmtpConfig):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        try:
            self.smtp = smtplib.SMTP(self.config.host, self.config.port, timeout=self.config.timeout)
            if self.config.starttls:
                self.smtp.starttls()
            if self.config.user:
                self.smtp.login(self.config.user, self.config.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise MailerError(f"Connexion SMTP impossible à {self.config.host}:{self.config.port} : {exc}") from exc
        return self

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None:
            raise MailerError("Connexion SMTP non ouverte.")
        try:
            self.smtp.send_message(message)
        except smtplib.SMTPException as exc:
            raise MailerError(f"Message refusé pour {message['To']} : {exc}") from exc

    def __exit__(self, *exc_info: object) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except smtplib.SMTPException:
                self.smtp.close()
