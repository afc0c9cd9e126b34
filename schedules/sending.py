"""Publish the public digest and send each subscriber what is new for them, exactly once.

Every digest that goes out is archived in `digests` (private `abonnes.db`); the public ones feed
the portal's Atom feed. `envois` remembers which resources each subscriber already received.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlite_utils

from schedules.digest import Digest, build_digest, render
from schedules.frenchtime import parse_iso, utc_now
from schedules.mailer import Mailer, MailerError, SmtpConfig, build_message
from schedules.subscribers import Subscriber, list_subscribers, preferences_url, unsubscribe_url

PERIODS = {"hebdo": timedelta(days=7), "quotidien": timedelta(days=1)}
# An empty digest goes out at most once per period (a little less, so a job running a few
# minutes early next week still sends it).
QUIET = {"hebdo": timedelta(days=6), "quotidien": timedelta(hours=20)}


@dataclass
class SendReport:
    email: str
    status: str  # « envoyé », « rien de nouveau », « erreur »
    resources: int = 0
    message: str = ""


def archive(db: sqlite_utils.Database, digest: Digest, subscriber: str, html: str, text: str,
            sent_at: datetime) -> int:
    """Store a digest; the public edition of a period is replaced when it is published again."""
    row = {
        "sent_at": sent_at.replace(microsecond=0).isoformat(), "subscriber": subscriber,
        "period": digest.period_key, "subject": digest.subject, "html": html, "text": text,
        "resource_ids": json.dumps(digest.resource_ids),
    }
    if subscriber == "public":
        existing = db.execute("select id from digests where subscriber = 'public' and period = ?",
                              [digest.period_key]).fetchone()
        if existing:
            db["digests"].update(existing[0], row)
            return existing[0]
    return db["digests"].insert(row).last_pk


def publish_public(main: sqlite3.Connection, db: sqlite_utils.Database, as_of: date, since: timedelta,
                   now: datetime | None = None) -> tuple[Digest, int]:
    """Archive the unfiltered digest of the week: the portal publishes it in its Atom feed."""
    digest = build_digest(main, as_of, since)
    return digest, archive(db, digest, "public", render(digest, "html"), render(digest, "txt"), now or utc_now())


def digest_for(main: sqlite3.Connection, db: sqlite_utils.Database, subscriber: Subscriber, as_of: date,
               now: datetime) -> Digest:
    """What this subscriber has not received yet and matches their filters."""
    sent = {r[0] for r in db.execute("select resource_id from envois where abonne_id = ?", [subscriber.id])}
    digest = build_digest(main, as_of, PERIODS[subscriber.frequence], subscriber.filters, exclude=sent,
                          new_since=parse_iso(subscriber.last_sent))
    digest.unsubscribe_url = unsubscribe_url(db, subscriber.email)
    digest.preferences_url = preferences_url(db, subscriber.email)
    digest.recipient = subscriber.email
    return digest


def send_to_subscribers(main_db: Path | str, db: sqlite_utils.Database, as_of: date, frequence: str = "hebdo",
                        config: SmtpConfig | None = None, now: datetime | None = None) -> list[SendReport]:
    """Send each subscriber of this frequency their digest; returns one report per subscriber."""
    now = now or utc_now()
    subscribers = list_subscribers(db, frequence)
    if not subscribers:
        return []
    config = config or SmtpConfig.from_env()
    main = sqlite3.connect(f"file:{Path(main_db)}?mode=ro", uri=True)
    reports = []
    try:
        with Mailer(config) as mailer:
            for subscriber in subscribers:
                reports.append(_send_one(main, db, mailer, subscriber, as_of, now))
    finally:
        main.close()
    return reports


def _send_one(main: sqlite3.Connection, db: sqlite_utils.Database, mailer: Mailer, subscriber: Subscriber,
              as_of: date, now: datetime) -> SendReport:
    digest = digest_for(main, db, subscriber, as_of, now)
    last = parse_iso(subscriber.last_sent)
    if digest.empty and last and now - last < QUIET[subscriber.frequence]:
        return SendReport(subscriber.email, "rien de nouveau")
    html, text = render(digest, "html"), render(digest, "txt")
    message = build_message(mailer.config.sender, subscriber.email, digest.subject, text, html,
                            digest.unsubscribe_url)
    try:
        mailer.send(message)
    except MailerError as exc:
        return SendReport(subscriber.email, "erreur", message=str(exc))
    stamp = now.replace(microsecond=0).isoformat()
    with db.conn:
        digest_id = archive(db, digest, subscriber.email, html, text, now)
        db["envois"].insert_all(
            [{"abonne_id": subscriber.id, "resource_id": rid, "digest_id": digest_id, "sent_at": stamp}
             for rid in digest.resource_ids], pk=("abonne_id", "resource_id"), ignore=True,
        )
        db["abonnes"].update(subscriber.id, {"last_sent": stamp})
    return SendReport(subscriber.email, "envoyé", len(digest.resource_ids))
