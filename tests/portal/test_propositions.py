"""Partners propose resources: the public form, the moderation queue, the mail, the next build.

A real portal over a copy of the offline crawl, a real SMTP server and a real web page on
loopback (the proposals' pages are fetched like `glaneur extract URL` does; loopback is allowed
by GLANEUR_PROPOSITIONS_RESEAU_PRIVE=1, off in production), a real build, Chromium and axe-core.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import time

import httpx
import pytest
from aiosmtpd.controller import Controller

from glaneur.contributions import ANSWER, PER_ADDRESS, ContributionError, clean_proposal
from glaneur.corrections import open_edition_db
from glaneur.portal import save_accounts
from tests.portal.helpers import login
from tests.portal.test_subscribe import Inbox, _free_port
from tests.support import glaneur, serve_portal

pytestmark = pytest.mark.e2e

PASSWORD = "un mot de passe solide"
EDITOR, PRO = "moderatrice", "lecteur-pro"
PAGE = """<!DOCTYPE html><html lang="fr"><head><title>Appel à projets : cantines solidaires du Gard 2027</title></head>
<body><main><article><h1>Appel à projets : cantines solidaires du Gard 2027</h1><p>Publié le 2 novembre 2026.</p>
<p>Le Département du Gard lance un appel à projets pour soutenir les cantines solidaires et les épiceries sociales
qui accueillent les personnes en situation de précarité alimentaire. Les associations peuvent déposer leur dossier
jusqu'au 15 janvier 2027. Les projets retenus recevront une aide pouvant aller jusqu'à 20 000 euros pour l'achat de
produits locaux auprès des producteurs du territoire, la logistique et l'accueil.</p>
<p>Qui peut candidater ? Les associations et les CCAS du Gard (30). Date limite de dépôt : 15/01/2027.</p>
</article></main></body></html>"""


HOME = """<!DOCTYPE html><html lang="fr"><head><title>Épicerie solidaire de Lunel</title>
<link rel="alternate" type="application/rss+xml" title="Actualités" href="/flux.xml"></head>
<body><h1>Épicerie solidaire de Lunel</h1><p>Nos actualités, nos ateliers cuisine.</p></body></html>"""
FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Épicerie de Lunel</title>
<link>http://127.0.0.1/</link><description>Actualités</description>
<item><title>Atelier cuisine du 12 décembre</title><link>http://127.0.0.1/atelier</link></item>
<item><title>Collecte de Noël</title><link>http://127.0.0.1/collecte</link></item></channel></rss>"""


@pytest.fixture(scope="module")
def site(offline_db, tmp_path_factory):
    from datasette_auth_passwords.utils import hash_password

    folder = tmp_path_factory.mktemp("propositions")
    pages = folder / "pages"
    pages.mkdir()
    (pages / "aap.html").write_text(PAGE, encoding="utf-8")
    (pages / "accueil.html").write_text(HOME, encoding="utf-8")
    (pages / "flux.xml").write_text(FEED, encoding="utf-8")
    (pages / "sans-flux.html").write_text(HOME.replace('<link rel="alternate"', '<link rel="stylesheet"'),
                                          encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(pages))
    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    db_path = folder / "glaneur.db"
    shutil.copy(offline_db, db_path)
    accounts = folder / "comptes.json"
    hashed = hash_password(PASSWORD)
    save_accounts({EDITOR: {"hash": hashed, "roles": ["editeur"]}, PRO: hashed}, accounts)
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    env = {"GLANEUR_ACCOUNTS": str(accounts), "GLANEUR_EDITION_DB": str(folder / "edition.db"),
           "GLANEUR_SMTP_HOST": "127.0.0.1", "GLANEUR_SMTP_PORT": str(smtp.port),
           "GLANEUR_SMTP_FROM": "Glaneur <equipe@glaneur.test>", "GLANEUR_PORTAL_URL": "http://portail.test",
           "GLANEUR_PROPOSITIONS_RESEAU_PRIVE": "1"}
    try:
        with serve_portal(db_path, env=env) as base:
            yield {"base": base, "db": db_path, "edition": folder / "edition.db", "env": env, "inbox": inbox,
                   "page": f"http://127.0.0.1:{web.server_port}/aap.html"}
    finally:
        smtp.stop()
        web.shutdown()


def _token(client: httpx.Client) -> str:
    return re.search(r'name="csrftoken" value="([^"]+)"', client.get("/proposer").text).group(1)


def _proposal(site: dict, **changes) -> dict:
    return {"url": site["page"], "type": "appel_a_projets", "description": "Un appel du Département du Gard.",
            "nom": "CCAS de Nîmes", "email": "ccas@exemple.fr", "consentement": "1", **changes}


def _count(site: dict) -> int:
    db = open_edition_db(site["edition"])
    try:
        return db["propositions"].count
    finally:
        db.close()


def test_form_checks_every_field_and_the_honeypot_stores_nothing(site):
    visitor = httpx.Client(base_url=site["base"], timeout=20)
    bad = visitor.post("/proposer", data={"csrftoken": _token(visitor), "url": "ftp://x", "type": "n-importe",
                                          "description": "court", "nom": "", "email": "pas-une-adresse"})
    assert bad.status_code == 400
    fields = re.findall(r'<li><a href="#prop-([a-z]+)">', bad.text)
    assert fields == ["url", "type", "description", "nom", "email", "consentement"]
    assert 'id="prop-email" name="email" value="pas-une-adresse"' in bad.text and 'role="alert"' in bad.text
    robot = visitor.post("/proposer", data={"csrftoken": _token(visitor), **_proposal(site), "site_web": "x"})
    assert robot.status_code == 200 and ANSWER.replace("'", "&#39;") in robot.text
    assert _count(site) == 0


def test_a_proposal_waits_for_an_editor_who_previews_accepts_and_the_build_publishes_it(site):
    base, inbox = site["base"], site["inbox"]
    visitor = httpx.Client(base_url=base, timeout=20)
    sent = visitor.post("/proposer", data={"csrftoken": _token(visitor), **_proposal(site)})
    assert sent.status_code == 200 and "file de modération" in sent.text
    # Queued, never published before a decision.
    resources = httpx.get(f"{base}/glaneur/resources.json?_size=0", timeout=20).json()["filtered_table_rows_count"]
    search = f"{base}/glaneur/resources.json?_search=cantines+solidaires&_shape=objects"
    assert httpx.get(search, timeout=20).json()["rows"] == []

    editor = login(base, EDITOR, PASSWORD)
    queue = editor.get("/edition/propositions").text
    number = re.search(r'href="/edition/propositions/(\d+)"', queue).group(1)
    preview = editor.get(f"/edition/propositions/{number}").text
    shown = dict(re.findall(r"<dt>(Titre|Type|Territoire|Dates)</dt><dd>([^<]*)</dd>", preview))
    assert shown["Titre"] == "Appel à projets : cantines solidaires du Gard 2027"
    assert shown["Type"] == "Appel à projets / financement" and "Gard (30)" in shown["Territoire"]
    assert "15 janvier 2027" in shown["Dates"]
    accepted = editor.post(f"/edition/propositions/{number}/accepter", data={"csrftoken": _token(editor)})
    assert accepted.status_code == 302
    assert "le partenaire en est averti par courriel" in editor.get("/edition/propositions").text
    [mail] = inbox.to("ccas@exemple.fr")
    assert "acceptée" in mail["Subject"] and "proposé par CCAS de Nîmes" in mail.get_body(("plain",)).get_content()
    again = editor.post(f"/edition/propositions/{number}/accepter", data={"csrftoken": _token(editor)})
    assert again.status_code == 400 and "déjà traitée" in again.text

    glaneur("build", "--db", str(site["db"]), env=site["env"])  # not skipped: an accepted proposal is an input
    time.sleep(1.1)
    after = httpx.get(f"{base}/glaneur/resources.json?_size=0", timeout=20).json()["filtered_table_rows_count"]
    assert after == resources + 1
    found = httpx.get(search, timeout=20).json()["rows"]
    assert [(r["type"], r["deadline"]) for r in found] == [("appel_a_projets", "2027-01-15")]
    page = httpx.get(f"{base}/glaneur/resources/{found[0]['id']}", timeout=20).text
    assert "Proposé par CCAS de Nîmes" in page and "ccas@exemple.fr" not in page
    db = open_edition_db(site["edition"])
    assert [r[0] for r in db.execute("select action from journal")] == ["proposition acceptée"]
    db.close()


def test_decline_needs_a_reason_and_tells_the_partner(site):
    visitor = httpx.Client(base_url=site["base"], timeout=20)
    visitor.post("/proposer", data={"csrftoken": _token(visitor), **_proposal(site, email="asso@exemple.fr")})
    editor = login(site["base"], EDITOR, PASSWORD)
    number = re.search(r'href="/edition/propositions/(\d+)"', editor.get("/edition/propositions").text).group(1)
    silent = editor.post(f"/edition/propositions/{number}/refuser", data={"csrftoken": _token(editor), "raison": " "})
    assert silent.status_code == 400 and "pourquoi" in silent.text
    declined = editor.post(f"/edition/propositions/{number}/refuser",
                           data={"csrftoken": _token(editor), "raison": "Déjà sur le portail."})
    assert declined.status_code == 302
    [mail] = site["inbox"].to("asso@exemple.fr")
    assert "pas retenue" in mail["Subject"] and "Déjà sur le portail." in mail.get_body(("plain",)).get_content()


def test_limits_per_address(site):
    visitor = httpx.Client(base_url=site["base"], timeout=20)
    before = _count(site)
    for _ in range(PER_ADDRESS):
        ok = visitor.post("/proposer", data={"csrftoken": _token(visitor), **_proposal(site, email="vite@exemple.fr")})
        assert ok.status_code == 200
    refused = visitor.post("/proposer", data={"csrftoken": _token(visitor), **_proposal(site, email="vite@exemple.fr")})
    assert refused.status_code == 429 and "réessayez demain" in refused.text
    assert _count(site) == before + PER_ADDRESS


def test_queue_is_for_editors_only(site):
    pro = login(site["base"], PRO, PASSWORD)
    for path in ("/edition/propositions", "/edition/propositions/1"):
        assert httpx.get(site["base"] + path, timeout=20).status_code == 403
        assert pro.get(path).status_code == 403
    for path in ("/edition/propositions/1/accepter", "/edition/propositions/1/refuser"):
        assert httpx.post(site["base"] + path, data={"raison": "x"}, timeout=20).status_code == 403
        assert pro.post(path, data={"csrftoken": _token(pro), "raison": "x"}).status_code == 403


def test_private_addresses_are_refused_by_default(monkeypatch):
    monkeypatch.delenv("GLANEUR_PROPOSITIONS_RESEAU_PRIVE", raising=False)
    for url in ("http://127.0.0.1:8001/", "http://localhost/page", "http://192.168.1.10/intranet", "http://[::1]/"):
        with pytest.raises(ContributionError) as refused:
            clean_proposal({"url": url, "description": "Une page du réseau local.", "nom": "X",
                            "email": "x@exemple.fr", "consentement": "1"})
        assert refused.value.errors == {"url": "Adresse de la ressource : une page publique du web (pas une "
                                               "adresse de réseau local)."}


def test_form_and_queue_in_the_browser(site, browser):
    from playwright.sync_api import expect

    from tests.portal.test_accessibility import STRUCTURE, WCAG_AA, axe_violations

    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(site["base"] + "/proposer")
    page.get_by_label("Adresse de la ressource").fill(site["page"])
    page.get_by_role("button", name="Envoyer la proposition").click()
    alert = page.get_by_role("alert")
    assert "Description" in alert.inner_text()
    # the page focuses its error summary once parsed: wait for it (a loaded machine parses slowly)
    expect(page.locator("#erreurs-proposition")).to_be_focused()
    assert axe_violations(page, {"type": "tag", "values": WCAG_AA}) == []
    assert axe_violations(page, {"type": "rule", "values": STRUCTURE}) == []
    page.get_by_label("Description courte").fill("Un appel du Département du Gard pour les cantines.")
    page.get_by_label(re.compile("Votre nom ou celui de votre structure")).fill("Épicerie de Lunel")
    page.get_by_label(re.compile("Votre adresse électronique")).fill("lunel@exemple.fr")
    page.get_by_label(re.compile("J'accepte que l'équipe")).check()
    page.get_by_role("button", name="Envoyer la proposition").click()
    assert "file de modération" in page.get_by_role("status").first.inner_text()
    page.goto(f"{site['base']}/-/login?next=/edition/propositions")
    page.get_by_label("Identifiant").fill(EDITOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/edition/propositions")
    for checked in ("/edition/propositions", None):
        if checked is None:
            page.get_by_role("link", name=site["page"]).first.click()
            page.wait_for_load_state("networkidle")
        assert axe_violations(page, {"type": "tag", "values": WCAG_AA}) == [], page.url
        assert axe_violations(page, {"type": "rule", "values": STRUCTURE}) == [], page.url
    assert page.get_by_role("button", name=re.compile("Accepter")).is_visible()
    context.close()


def test_a_proposed_source_becomes_a_draft_registry_entry(site):
    from glaneur.contributions import draft_registry_path
    from glaneur.registry import load_registry

    home = site["page"].replace("aap.html", "accueil.html")
    visitor = httpx.Client(base_url=site["base"], timeout=20)
    form = visitor.get("/proposer-une-source").text
    assert "Adresse du site ou du flux RSS" in form and 'name="type"' not in form
    token = re.search(r'name="csrftoken" value="([^"]+)"', form).group(1)
    sent = visitor.post("/proposer-une-source", data={
        "csrftoken": token, "url": home, "description": "Nos ateliers et nos collectes, chaque semaine.",
        "nom": "Épicerie solidaire de Lunel", "email": "epicerie@exemple.fr", "consentement": "1"})
    assert sent.status_code == 200 and "file de modération" in sent.text
    editor = login(site["base"], EDITOR, PASSWORD)
    queue = editor.get("/edition/propositions").text
    number = re.search(r'href="/edition/propositions/(\d+)">' + re.escape(home), queue).group(1)
    preview = editor.get(f"/edition/propositions/{number}").text
    assert "flux (2 entrées lues)" in preview and home.replace("accueil.html", "flux.xml") in preview
    accepted = editor.post(f"/edition/propositions/{number}/accepter", data={"csrftoken": _token(editor)})
    assert accepted.status_code == 302
    assert "brouillon « epicerie-solidaire-de-lunel » écrit" in editor.get("/edition/propositions").text
    [entry] = load_registry(draft_registry_path(site["edition"]))
    assert (entry.id, entry.kind, entry.enabled) == ("epicerie-solidaire-de-lunel", "feed", False)
    assert entry.entry_urls == [home.replace("accueil.html", "flux.xml")]
    assert "glaneur sources new epicerie-solidaire-de-lunel --kind feed --url" in entry.notes
    assert "glaneur sources new epicerie-solidaire-de-lunel --url http" in entry.notes  # discovery
    [mail] = site["inbox"].to("epicerie@exemple.fr")
    assert "source est acceptée" in mail["Subject"]
    listed = glaneur("sources", "proposees", "--db", str(site["db"]), env=site["env"])
    assert "epicerie-solidaire-de-lunel" in listed.stdout and "glaneur sources new" in listed.stdout
    # Nothing of it is crawled or published before the operator turns it into a real source.
    assert "Épicerie solidaire de Lunel" not in httpx.get(site["base"] + "/glaneur/sources.json", timeout=20).text


def test_a_site_without_a_feed_is_drafted_as_a_listing(site, monkeypatch):
    from glaneur.contributions import discover_source

    monkeypatch.setenv("GLANEUR_PROPOSITIONS_RESEAU_PRIVE", "1")  # the loopback page, as the portal has it
    found = discover_source(site["page"].replace("aap.html", "sans-flux.html"))
    assert found == {"kind": "listing", "entry_url": site["page"].replace("aap.html", "sans-flux.html"),
                     "title": "Épicerie solidaire de Lunel", "entries": None}
