"""Subscribing from the page, end to end: a real portal, a real SMTP server on loopback, a real browser.

The visitor starts from a filtered selection, asks for the letter, gets the confirmation mail,
confirms, changes preferences from the letter's link and unsubscribes. Nothing is written
before the confirming POST; answers never say whether an address is already subscribed.
"""

from __future__ import annotations

import email
import re
import shutil
import socket
from email.policy import default as default_policy
from html import unescape

import httpx
import pytest
from aiosmtpd.controller import Controller

from schedules.store import open_subscribers_db
from schedules.subscribers import get_subscriber
from schedules.subscriptions import ANSWER, PER_ADDRESS
from tests.browser import launch
from tests.support import serve_portal

pytestmark = pytest.mark.e2e


class Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["X-Envelope-To"] == address]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def mail_portal(portal_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("abonnement")
    path = folder / "glaneur.db"
    shutil.copy(portal_db, path)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    private = folder / "abonnes.db"
    env = {"GLANEUR_SMTP_HOST": "127.0.0.1", "GLANEUR_SMTP_PORT": str(controller.port),
           "GLANEUR_SMTP_FROM": "Glaneur <lettre@glaneur.test>", "GLANEUR_ABONNES_DB": str(private),
           "GLANEUR_PORTAL_URL": "http://portail.test", "GLANEUR_SECRET": "secret de test"}
    try:
        with serve_portal(path, env=env) as base:
            yield base, inbox, private
    finally:
        controller.stop()


def _link(message, start: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(re.escape(start) + r"\S+", text).group(0)


def _local(url: str, base: str) -> str:
    return url.replace("http://portail.test", base)


def _post_form(client: httpx.Client, page_url: str, data: dict) -> httpx.Response:
    page = client.get(page_url)
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    return client.post(re.search(r'<form class="abonnement" action="([^"]+)"', page.text).group(1),
                       data={"csrftoken": token, **data})


def test_subscribe_from_a_selection_in_the_browser(mail_portal):
    playwright_api = pytest.importorskip("playwright.sync_api")
    base, inbox, private = mail_portal
    address = "benevole@exemple.fr"
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(locale="fr-FR").new_page()
        page.goto(base + "/glaneur/resources?type=formation&departements__arraycontains=11")
        page.get_by_role("link", name="Recevoir ces nouveautés par courriel").click()
        assert page.locator("input[name=types][value=formation]").is_checked()
        assert page.locator("#abo-departements option[value='11']").evaluate("o => o.selected")
        page.fill("#abo-email", address)
        page.check("input[name=consentement]")
        page.click("input[type=submit][value=\"M'abonner\"]")
        assert ANSWER in page.locator("[role=status]").inner_text()
        assert not private.exists() or not open_subscribers_db(private)["abonnes"].count  # nothing before confirming

        [mail] = inbox.to(address)
        assert mail["Subject"] == "Confirmez votre abonnement à la lettre de Glaneur"
        confirm_url = _local(_link(mail, "http://portail.test/abonnement/confirmer?jeton="), base)
        page.goto(confirm_url)
        assert open_subscribers_db(private)["abonnes"].count == 0  # opening the link writes nothing
        page.click("input[type=submit][value='Confirmer mon abonnement']")
        assert "recevra la lettre" in page.locator("[role=status]").inner_text()
        subscriber = get_subscriber(open_subscribers_db(private), address)
        assert subscriber.types == ["formation"] and subscriber.departements == ["11"]

        page.get_by_role("link", name="Changer mes choix ou me désabonner").click()
        page.check("input[name=frequence][value=quotidien]")
        page.check("input[name=themes][value=approvisionnement]")
        page.click("input[type=submit][value='Enregistrer mes choix']")
        assert "Vos choix sont enregistrés" in page.locator("[role=status]").inner_text()
        subscriber = get_subscriber(open_subscribers_db(private), address)
        assert subscriber.frequence == "quotidien" and subscriber.themes == ["approvisionnement"]

        page.click("input[type=submit][value='Me désabonner et effacer mon adresse']")
        assert "ne recevra plus la lettre" in page.content()
        assert open_subscribers_db(private)["abonnes"].count == 0
        browser.close()


def test_a_confirmation_link_serves_once(mail_portal):
    base, inbox, private = mail_portal
    client = httpx.Client(base_url=base, timeout=30)
    address = "une-fois@exemple.fr"
    answer = _post_form(client, "/abonnement", {"email": address, "consentement": "1", "frequence": "hebdo"})
    assert answer.status_code == 200 and ANSWER in unescape(answer.text)
    url = _local(_link(inbox.to(address)[-1], "http://portail.test/abonnement/confirmer?jeton="), base)
    page = client.get(url)
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    jeton = re.search(r'name="jeton" value="([^"]+)"', page.text).group(1)
    first = client.post("/abonnement/confirmer", data={"csrftoken": token, "jeton": jeton})
    again = client.post("/abonnement/confirmer", data={"csrftoken": token, "jeton": jeton})
    assert first.status_code == 200 and again.status_code == 400 and "déjà servi" in unescape(again.text)
    forged = client.get("/abonnement/confirmer?jeton=faux")
    assert forged.status_code == 400 and "invalide" in forged.text


def test_answers_never_tell_who_is_subscribed_and_limits_hold(mail_portal):
    base, inbox, private = mail_portal
    client = httpx.Client(base_url=base, timeout=30)
    known = "deja@exemple.fr"
    db = open_subscribers_db(private)
    from schedules.subscribers import add_subscriber, validate_filters
    add_subscriber(db, known, validate_filters())
    answers = {}
    for address in (known, "nouvelle@exemple.fr"):
        response = _post_form(client, "/abonnement", {"email": address, "consentement": "1"})
        answers[address] = (response.status_code, re.search(r'role="status">(.*?)</p>', response.text).group(1))
    assert answers[known] == answers["nouvelle@exemple.fr"]
    before = len(inbox.to("limite@exemple.fr"))
    for _ in range(PER_ADDRESS + 2):
        response = _post_form(client, "/abonnement", {"email": "limite@exemple.fr", "consentement": "1"})
        assert response.status_code == 200 and ANSWER in unescape(response.text)  # same answer over the limit
    assert len(inbox.to("limite@exemple.fr")) - before == PER_ADDRESS
    robot = _post_form(client, "/abonnement", {"email": "robot@exemple.fr", "consentement": "1",
                                               "site_web": "http://spam.example"})
    assert ANSWER in unescape(robot.text) and not inbox.to("robot@exemple.fr")


def test_the_form_refuses_in_french(mail_portal):
    base, _, _ = mail_portal
    client = httpx.Client(base_url=base, timeout=30)
    no_consent = _post_form(client, "/abonnement", {"email": "a@exemple.fr"})
    assert no_consent.status_code == 400 and "Cochez la case" in unescape(no_consent.text)
    assert 'aria-invalid="true" aria-describedby="abo-erreur"' in no_consent.text  # RGAA 11.10: the box
    bad = _post_form(client, "/abonnement", {"email": "pas-une-adresse", "consentement": "1"})
    assert bad.status_code == 400 and "n'est pas valide" in unescape(bad.text)
    assert 'aria-describedby="abo-email-format abo-erreur" aria-invalid="true"' in bad.text  # the address
    assert 'id="abo-erreur" role="alert"' in bad.text and 'value="pas-une-adresse"' in bad.text  # kept
    unknown = _post_form(client, "/abonnement", {"email": "a@exemple.fr", "consentement": "1", "types": "inconnu"})
    assert unknown.status_code == 400 and "inconnu" in unescape(unknown.text)
    assert client.get("/preferences?jeton=faux").status_code == 400


def test_every_page_offers_the_letter_with_its_filters(mail_portal):
    base, _, _ = mail_portal
    home = httpx.get(base + "/").text
    assert 'href="/abonnement">Recevoir ces nouveautés par courriel' in home
    search = httpx.get(base + "/recherche", params={"q": "formation"}).text
    assert "Recevoir ces nouveautés par courriel" in search
    table = httpx.get(base + "/glaneur/resources", params={"type": "appel_a_projets",
                                                           "themes__arraycontains": "logistique",
                                                           "regions__arraycontains": "76"}).text
    link = unescape(re.search(r'<a href="(/abonnement[^"]*)">Recevoir ces nouveautés', table).group(1))
    assert link == "/abonnement?types=appel_a_projets&themes=logistique&regions=76"
