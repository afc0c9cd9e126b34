"""Subscribers receive, through a real SMTP server on 127.0.0.1, only what matches and is new for them."""

from __future__ import annotations

import email
import socket
from datetime import UTC, date, datetime, timedelta
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from schedules.mailer import SmtpConfig
from schedules.sending import send_to_subscribers
from schedules.store import open_subscribers_db, subscribers_db_path
from schedules.subscribers import (
    SubscriberError,
    add_subscriber,
    make_token,
    read_token,
    validate_filters,
)
from tests.schedules.conftest import PORTAL
from tests.support import glaneur

AS_OF = date(2026, 11, 20)
FIRST = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["X-Envelope-To"] == address]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, SmtpConfig(host="127.0.0.1", port=controller.port, sender="Glaneur <lettre@glaneur.test>")
    finally:
        controller.stop()


def _parts(message) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    types = [part.get_content_type() for part in message.iter_parts()]
    assert types == ["text/plain", "text/html"]
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def test_each_subscriber_gets_their_selection_once(week_db, smtp):
    path, b = week_db
    inbox, config = smtp
    db = open_subscribers_db(subscribers_db_path(path))
    add_subscriber(db, "alice@exemple.fr", validate_filters(regions="76"))
    add_subscriber(db, "bob@exemple.fr", validate_filters(types="appel_a_projets"))
    add_subscriber(db, "carole@exemple.fr", validate_filters(), frequence="quotidien")

    reports = send_to_subscribers(path, db, AS_OF, "hebdo", config, now=FIRST)
    assert [(r.email, r.status, r.resources) for r in reports] == [
        ("alice@exemple.fr", "envoyé", 4), ("bob@exemple.fr", "envoyé", 2)]
    assert not inbox.to("carole@exemple.fr")  # quotidien subscribers are not part of the weekly send

    alice = inbox.to("alice@exemple.fr")[0]
    assert alice["Subject"] == "Glaneur — 2 nouveautés, 1 appel à projets, 1 rendez-vous (du 13 au 20 novembre 2026)"
    assert alice["From"] == "Glaneur <lettre@glaneur.test>"
    assert alice["List-Unsubscribe"].startswith(f"<{PORTAL}/desabonnement?jeton=")
    assert alice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = alice["List-Unsubscribe"].split("jeton=", 1)[1].rstrip(">")
    assert read_token(db, token) == "alice@exemple.fr"
    text, html = _parts(alice)
    assert "Formation des bénévoles à Montpellier" in text and "Rencontre régionale en Occitanie" in text
    assert "Appel à projets francilien" not in text and "Appel à projets francilien" not in html
    assert f"{PORTAL}/glaneur/resources/form-occ" in html and "Se désabonner" in html
    assert "alice@exemple.fr" in text
    assert f"Changer mes choix : {PORTAL}/preferences?jeton={token}" in text
    assert f'href="{PORTAL}/preferences?jeton={token}"' in html and "Changer mes choix" in html

    bob_text, _ = _parts(inbox.to("bob@exemple.fr")[0])
    assert "Appel à projets francilien" in bob_text and "Appel à projets national qui se termine" in bob_text
    assert "Formation des bénévoles" not in bob_text

    # The same week again: nothing new, nothing sent.
    again = send_to_subscribers(path, db, AS_OF, "hebdo", config, now=FIRST + timedelta(hours=1))
    assert {r.status for r in again} == {"rien de nouveau"}
    assert len(inbox.messages) == 2

    # A week later: alice gets only the new resource, bob an honest empty letter.
    b.resource("evt-new", "Atelier participatif à Nîmes", "evenement", "2026-11-25T10:00:00+00:00",
               regions=["76"], event_start="2026-12-10")
    later = send_to_subscribers(path, db, AS_OF + timedelta(days=7), "hebdo", config, now=FIRST + timedelta(days=7))
    assert [(r.email, r.status, r.resources) for r in later] == [
        ("alice@exemple.fr", "envoyé", 1), ("bob@exemple.fr", "envoyé", 0)]
    alice_text, _ = _parts(inbox.to("alice@exemple.fr")[1])
    assert "Atelier participatif à Nîmes" in alice_text and "Formation des bénévoles" not in alice_text
    bob_second = inbox.to("bob@exemple.fr")[1]
    assert bob_second["Subject"].startswith("Glaneur — rien de nouveau")
    assert "Rien de nouveau" in _parts(bob_second)[0]

    archived = list(db.query("select subscriber, resource_ids from digests order by id"))
    assert [a["subscriber"] for a in archived] == ["alice@exemple.fr", "bob@exemple.fr"] * 2
    sent = db.execute("select count(*), count(distinct resource_id) from envois where abonne_id = 1").fetchone()
    assert sent == (5, 5)


def test_tampered_token_is_refused(tmp_path):
    db = open_subscribers_db(tmp_path / "abonnes.db")
    token = make_token(db, "alice@exemple.fr")
    with pytest.raises(SubscriberError):
        read_token(db, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def test_cli_send_publishes_and_sends(week_db, smtp, tmp_path):
    path, _ = week_db
    inbox, config = smtp
    env = {"GLANEUR_SMTP_HOST": "127.0.0.1", "GLANEUR_SMTP_PORT": str(config.port),
           "GLANEUR_SMTP_FROM": "Glaneur <lettre@glaneur.test>", "GLANEUR_PORTAL_URL": PORTAL}
    added = glaneur("abonnes", "add", "Chloe@Exemple.fr", "--region", "76", "--types", "formation",
                    "--db", str(path), env=env)
    assert "Abonné : chloe@exemple.fr (hebdo) — Région(s) 76 et ressources nationales · Types : Formation" \
        in added.stdout
    listed = glaneur("abonnes", "list", "--db", str(path), env=env)
    assert "chloe@exemple.fr" in listed.stdout and "jamais" in listed.stdout
    sent = glaneur("digest", "--send", "--as-of", "2026-11-20", "--db", str(path), env=env)
    assert "Lettre publique n°1 archivée" in sent.stdout and "1 lettre(s) envoyée(s) sur 1" in sent.stdout
    text, _ = _parts(inbox.to("chloe@exemple.fr")[0])
    assert "Formation des bénévoles à Montpellier" in text and "Baromètre" not in text
    second = glaneur("digest", "--send", "--as-of", "2026-11-20", "--db", str(path), env=env)
    assert "rien de nouveau" in second.stdout and len(inbox.messages) == 1
    db = open_subscribers_db(subscribers_db_path(path))
    public = list(db.query("select period, resource_ids from digests where subscriber = 'public'"))
    assert len(public) == 1 and public[0]["period"] == "2026-11-13/2026-11-20"
    removed = glaneur("abonnes", "remove", "chloe@exemple.fr", "--db", str(path), env=env)
    assert "Désabonné : chloe@exemple.fr." in removed.stdout
    assert glaneur("abonnes", "list", "--db", str(path)).stdout.strip() == "Aucun abonné."
    assert db.execute("select count(*) from envois").fetchone()[0] == 0


def test_subscription_command_from_facets():
    from schedules.subscribers import subscription_command

    assert subscription_command({"type": ["appel_a_projets"], "themes": "pat,financement", "regions": ["76"]}) == (
        "glaneur abonnes add votre.adresse@exemple.fr --region 76 --types appel_a_projets --themes pat,financement")
    assert subscription_command({}, email="a@b.fr") == "glaneur abonnes add a@b.fr"
    with pytest.raises(SubscriberError):
        subscription_command({"type": "inconnu"})


def test_invalid_subscriptions_are_refused(tmp_path):
    db = open_subscribers_db(tmp_path / "abonnes.db")
    with pytest.raises(SubscriberError, match="Adresse e-mail invalide"):
        add_subscriber(db, "pas-une-adresse", validate_filters())
    with pytest.raises(SubscriberError, match="région"):
        validate_filters(regions="Occitanie")
