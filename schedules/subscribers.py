"""Subscribers to the digest: their filters, signed unsubscribe tokens, and the command line the
operator types for a selection (`subscription_command`); visitors subscribe themselves from the portal
(schedules/subscriptions.py).

Subscribers live in the private `abonnes.db` (see `schedules.store`), never in the public database.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils
from itsdangerous import BadSignature, URLSafeSerializer

from schedules.digest import Filters, department_codes, portal_url, theme_labels, type_labels
from schedules.frenchtime import iso_now
from schedules.store import secret_key

FREQUENCIES = ("hebdo", "quotidien")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_REGION = re.compile(r"^(\d{2,3}|2[AB])$")
TOKEN_SALT = "glaneur-desabonnement"
EMAIL_PLACEHOLDER = "votre.adresse@exemple.fr"


class SubscriberError(ValueError):
    """An invalid address or filter, with a French message for the CLI."""


@dataclass
class Subscriber:
    id: int
    email: str
    regions: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    departements: list[str] = field(default_factory=list)
    frequence: str = "hebdo"
    created: str = ""
    last_sent: str | None = None

    @property
    def filters(self) -> Filters:
        return Filters(regions=self.regions, types=self.types, themes=self.themes, departements=self.departements)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Subscriber:
        return cls(
            id=row["id"], email=row["email"], regions=json.loads(row["regions"] or "[]"),
            types=json.loads(row["types"] or "[]"), themes=json.loads(row["themes"] or "[]"),
            departements=json.loads(row.get("departements") or "[]"),
            frequence=row["frequence"] or "hebdo", created=row["created"] or "", last_sent=row["last_sent"],
        )


def split_values(values: Iterable[str] | str | None) -> list[str]:
    """Accept repeated options and comma-separated lists alike: « --types a,b --types c »."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [v.strip() for value in values for v in str(value).split(",") if v.strip()]


def validate_filters(regions: Iterable[str] | str | None = None, types: Iterable[str] | str | None = None,
                     themes: Iterable[str] | str | None = None,
                     departements: Iterable[str] | str | None = None) -> Filters:
    """Check slugs against the taxonomy, region codes against the INSEE format, départements against the COG."""
    filters = Filters(split_values(regions), split_values(types), split_values(themes), split_values(departements))
    unknown_deps = [d for d in filters.departements if d not in department_codes()]
    if unknown_deps:
        raise SubscriberError(f"Département(s) inconnu(s) : {', '.join(unknown_deps)} (ex. 30, 2A, 974).")
    unknown_types = [t for t in filters.types if t not in type_labels()]
    if unknown_types:
        raise SubscriberError(f"Type(s) inconnu(s) : {', '.join(unknown_types)} "
                              f"(attendus : {', '.join(type_labels())}).")
    unknown_themes = [t for t in filters.themes if t not in theme_labels()]
    if unknown_themes:
        raise SubscriberError(f"Thème(s) inconnu(s) : {', '.join(unknown_themes)} "
                              f"(attendus : {', '.join(theme_labels())}).")
    bad_regions = [r for r in filters.regions if not _REGION.match(r)]
    if bad_regions:
        raise SubscriberError(f"Code(s) de région INSEE invalide(s) : {', '.join(bad_regions)} (ex. 76, 11).")
    return filters


def add_subscriber(db: sqlite_utils.Database, email: str, filters: Filters,
                   frequence: str = "hebdo") -> Subscriber:
    """Create a subscriber, or update the filters of an existing address (what was sent is kept)."""
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise SubscriberError(f"Adresse e-mail invalide : « {email} ».")
    if frequence not in FREQUENCIES:
        raise SubscriberError(f"Fréquence inconnue : « {frequence} » (hebdo ou quotidien).")
    row = {
        "email": email, "regions": json.dumps(filters.regions), "types": json.dumps(filters.types),
        "themes": json.dumps(filters.themes), "departements": json.dumps(filters.departements),
        "frequence": frequence,
    }
    existing = db.execute("select id from abonnes where email = ?", [email]).fetchone()
    if existing:
        db["abonnes"].update(existing[0], row)
    else:
        db["abonnes"].insert(dict(row, created=iso_now()))
    return get_subscriber(db, email)


def get_subscriber(db: sqlite_utils.Database, email: str) -> Subscriber:
    rows = list(db["abonnes"].rows_where("email = ?", [email.strip().lower()]))
    if not rows:
        raise SubscriberError(f"Aucun abonné à l'adresse « {email} ».")
    return Subscriber.from_row(rows[0])


def list_subscribers(db: sqlite_utils.Database, frequence: str | None = None) -> list[Subscriber]:
    where, params = ("frequence = ?", [frequence]) if frequence else (None, [])
    return [Subscriber.from_row(r) for r in db["abonnes"].rows_where(where, params, order_by="email")]


def remove_subscriber(db: sqlite_utils.Database, email: str) -> Subscriber:
    """Delete the address and what was sent to it; archived digests keep only an anonymous label."""
    subscriber = get_subscriber(db, email)
    with db.conn:
        db.execute("delete from envois where abonne_id = ?", [subscriber.id])
        db.execute("update digests set subscriber = ?, html = '', text = '' where subscriber = ?",
                   [f"abonné n°{subscriber.id} (désabonné)", subscriber.email])
        db.execute("delete from abonnes where id = ?", [subscriber.id])
    return subscriber


def make_token(db: sqlite_utils.Database, email: str) -> str:
    """A signed token naming the address: only its holder can unsubscribe it."""
    return URLSafeSerializer(secret_key(db), salt=TOKEN_SALT).dumps(email.strip().lower())


def read_token(db: sqlite_utils.Database, token: str) -> str:
    try:
        return URLSafeSerializer(secret_key(db), salt=TOKEN_SALT).loads(token)
    except BadSignature as exc:
        raise SubscriberError("Lien de désabonnement invalide.") from exc


def unsubscribe_url(db: sqlite_utils.Database, email: str) -> str:
    return f"{portal_url()}/desabonnement?jeton={make_token(db, email)}"


def preferences_url(db: sqlite_utils.Database, email: str) -> str:
    """The page where a subscriber changes filters and frequency, or unsubscribes (same token)."""
    return f"{portal_url()}/preferences?jeton={make_token(db, email)}"


def format_subscribers(subscribers: list[Subscriber]) -> str:
    """The French table of `glaneur abonnes list`."""
    if not subscribers:
        return "Aucun abonné."
    lines = [f"{'adresse':<36} {'fréquence':<10} {'dernier envoi':<26} filtres"]
    for s in subscribers:
        lines.append(f"{s.email:<36} {s.frequence:<10} {s.last_sent or 'jamais':<26} "
                     f"{s.filters.describe() or 'tout'}")
    lines.append(f"{len(subscribers)} abonné(s).")
    return "\n".join(lines)


def subscription_command(filters: dict[str, Any], email: str = EMAIL_PLACEHOLDER) -> str:
    """The `glaneur abonnes add` command for a facet selection of the portal.

    `filters` takes the portal's facet names: `type` (or `types`), `themes`, `regions`
    (or `region`), each a string or a list; unknown slugs raise SubscriberError.
    """
    types = split_values(filters.get("type")) + split_values(filters.get("types"))
    regions = split_values(filters.get("regions")) + split_values(filters.get("region"))
    checked = validate_filters(regions, types, filters.get("themes"))
    parts = ["glaneur", "abonnes", "add", email]
    for option, values in (("--region", checked.regions), ("--types", checked.types),
                           ("--themes", checked.themes)):
        if values:
            parts += [option, ",".join(dict.fromkeys(values))]
    return " ".join(shlex.quote(p) for p in parts)
