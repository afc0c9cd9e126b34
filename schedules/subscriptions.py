"""Subscribing from the portal: double opt-in, limits, and answers that reveal nothing.

A visitor's request never subscribes anyone: it sends a confirmation link (signed, valid 48
hours, usable once) to the address; only the POST of the page that link opens subscribes. The
answer to a request is the same whether the address is new, already subscribed, over its limit
or invalid-but-plausible, so the form cannot be used to learn who reads the letter. Requests
are limited per address and per IP, both kept only as keyed hashes.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from schedules.digest import Filters, portal_url
from schedules.frenchtime import iso_now
from schedules.mailer import Mailer, MailerError, SmtpConfig, build_message
from schedules.store import secret_key
from schedules.subscribers import (
    EMAIL_RE,
    FREQUENCIES,
    SubscriberError,
    add_subscriber,
)

CONFIRM_SALT = "glaneur-confirmation"
CONFIRM_HOURS = 48
PER_ADDRESS = 3  # requests per address per day
PER_IP = 30  # requests per IP per hour (an office or a school may share one address)
ANSWER = ("Si l'adresse est valide, un courriel vient de lui être envoyé : cliquez sur le lien qu'il contient "
          "pour confirmer l'abonnement (valable 48 heures). Sans confirmation, rien n'est enregistré.")


@dataclass
class Request:
    email: str
    filters: Filters
    frequence: str


def _hash(db: sqlite_utils.Database, value: str) -> str:
    return hmac.new(secret_key(db).encode(), value.strip().lower().encode(), hashlib.sha256).hexdigest()


def _serializer(db: sqlite_utils.Database) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(db), salt=CONFIRM_SALT)


def _since(hours: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat(timespec="seconds")


def over_limit(db: sqlite_utils.Database, email: str, ip: str) -> bool:
    by_address = db.execute("select count(*) from demandes where email_hash = ? and created >= ?",
                            [_hash(db, email), _since(24)]).fetchone()[0]
    by_ip = db.execute("select count(*) from demandes where ip_hash = ? and created >= ?",
                       [_hash(db, ip), _since(1)]).fetchone()[0]
    return by_address >= PER_ADDRESS or by_ip >= PER_IP


def request_subscription(db: sqlite_utils.Database, request: Request, ip: str) -> str | None:
    """Record the request and return its confirmation token (None when over a limit).

    Raises SubscriberError for what the visitor can correct (an address that is not one, an
    unknown frequency); the filters were validated by the caller.
    """
    email = request.email.strip().lower()
    if not EMAIL_RE.match(email):
        raise SubscriberError("Cette adresse électronique n'est pas valide.")
    if request.frequence not in FREQUENCIES:
        raise SubscriberError("Fréquence inconnue.")
    if over_limit(db, email, ip):
        return None
    row = db["demandes"].insert({"email_hash": _hash(db, email), "ip_hash": _hash(db, ip), "created": iso_now()})
    f = request.filters
    payload = {"id": row.last_pk, "email": email, "frequence": request.frequence, "regions": f.regions,
               "types": f.types, "themes": f.themes, "departements": f.departements}
    return _serializer(db).dumps(payload)


def read_confirmation(db: sqlite_utils.Database, token: str) -> dict:
    """The request a confirmation link carries; SubscriberError when expired, forged or used."""
    try:
        payload = _serializer(db).loads(token, max_age=CONFIRM_HOURS * 3600)
    except SignatureExpired as exc:
        raise SubscriberError("Ce lien de confirmation a expiré : abonnez-vous de nouveau depuis le portail.") from exc
    except BadSignature as exc:
        raise SubscriberError("Lien de confirmation invalide.") from exc
    row = db.execute("select confirmed from demandes where id = ?", [payload.get("id")]).fetchone()
    if row is None:
        raise SubscriberError("Lien de confirmation invalide.")
    if row[0]:
        raise SubscriberError("Ce lien a déjà servi : l'abonnement est confirmé.")
    return payload


def confirm(db: sqlite_utils.Database, token: str):
    """Subscribe (or update) the address of a confirmation link, once."""
    payload = read_confirmation(db, token)
    filters = Filters(payload["regions"], payload["types"], payload["themes"], payload["departements"])
    with db.conn:
        subscriber = add_subscriber(db, payload["email"], filters, payload["frequence"])
        db.execute("update demandes set confirmed = ? where id = ?", [iso_now(), payload["id"]])
    return subscriber


def confirmation_message(db: sqlite_utils.Database, email: str, token: str, filters: Filters, sender: str):
    url = f"{portal_url()}/abonnement/confirmer?jeton={token}"
    scope = filters.describe() or "toutes les ressources du portail"
    text = (f"Bonjour,\n\nQuelqu'un (sans doute vous) a demandé à recevoir la lettre de Glaneur à cette adresse, "
            f"pour : {scope}.\n\nPour confirmer, ouvrez ce lien dans les {CONFIRM_HOURS} heures :\n{url}\n\n"
            "Si vous n'avez rien demandé, ignorez ce message : sans confirmation, l'adresse n'est pas "
            "enregistrée.\n\nGlaneur — portail de la lutte contre la précarité alimentaire\n")
    html = (f"<p>Bonjour,</p><p>Quelqu'un (sans doute vous) a demandé à recevoir la lettre de Glaneur à cette "
            f"adresse, pour : {_escape(scope)}.</p><p><a href=\"{_escape(url)}\">Confirmer mon abonnement</a> "
            f"(lien valable {CONFIRM_HOURS} heures)</p><p>Si vous n'avez rien demandé, ignorez ce message : "
            "sans confirmation, l'adresse n'est pas enregistrée.</p>")
    return build_message(sender, email, "Confirmez votre abonnement à la lettre de Glaneur", text, html)


def _escape(value: str) -> str:
    from markupsafe import escape

    return str(escape(value))


def send_confirmation(db: sqlite_utils.Database, request: Request, token: str) -> None:
    """Mail the confirmation link; MailerError when SMTP is not configured or refuses."""
    config = SmtpConfig.from_env()
    message = confirmation_message(db, request.email.strip().lower(), token, request.filters, config.sender)
    with Mailer(config) as mailer:
        mailer.send(message)


__all__ = ["ANSWER", "MailerError", "Request", "confirm", "read_confirmation",
           "request_subscription", "send_confirmation"]
