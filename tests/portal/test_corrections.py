"""Editors' corrections through the real portal: roles, CSRF, publication at once, rebuilds, undo.

One real `glaneur serve` over a copy of the offline crawl (real documents, so that a real
`glaneur build` rebuilds the resources from them), with its own accounts and editorial database.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from glaneur.corrections import open_edition_db, record
from glaneur.eval_cases import check_folder
from glaneur.portal import save_accounts
from tests.portal.helpers import login
from tests.support import glaneur, serve_portal

pytestmark = pytest.mark.e2e

PASSWORD = "un mot de passe solide"
EDITOR, PRO, ADMIN = "camille-editrice", "ccas-lecteur", "admin-portail"


@pytest.fixture(scope="module")
def site(offline_db, tmp_path_factory) -> Iterator[dict]:
    from datasette_auth_passwords.utils import hash_password

    folder = tmp_path_factory.mktemp("corrections")
    db_path = folder / "glaneur.db"
    shutil.copy(offline_db, db_path)
    accounts = folder / "comptes.json"
    hashed = hash_password(PASSWORD)
    save_accounts({EDITOR: {"hash": hashed, "roles": ["editeur"]}, PRO: hashed,
                   ADMIN: {"hash": hashed, "roles": ["administrateur"]}}, accounts)
    edition = folder / "edition.db"
    env = {"GLANEUR_ACCOUNTS": str(accounts), "GLANEUR_EDITION_DB": str(edition)}
    with sqlite3.connect(db_path) as conn:
        rid, doc = conn.execute(
            "select r.id, rs.document_id from resources r join resource_sources rs on rs.resource_id = r.id "
            "where r.type = 'actualite' and rs.role = 'principale' and r.departements = '[]' "
            "order by r.id limit 1").fetchone()
        other = conn.execute("select id from resources where id != ? and type != 'evenement' order by id limit 1",
                             [rid]).fetchone()[0]
    conn.close()
    with serve_portal(db_path, env=env) as base:
        yield {"base": base, "db": db_path, "edition": edition, "env": env, "rid": rid, "doc": doc, "other": other}


def _token(client: httpx.Client, path: str = "/abonnement") -> str:
    return re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text).group(1)


def _form(token: str, **changes) -> dict:
    data = {"csrftoken": token, "type": "formation", "themes": ["logistique", "benevolat"],
            "audiences": ["benevoles"], "regions": [], "departements": "30", "deadline": "",
            "event_start": "2026-12-10", "event_end": "2026-12-11", "location": "Nîmes",
            "summary": "Deux jours pour organiser la ramasse, corrigés par l'équipe.", "raison": "Vérifié sur le site"}
    data.update(changes)
    return data


def _resource(site: dict, rid: str) -> dict:
    """The resource as the portal serves it now (JSON of the row page)."""
    for _ in range(20):  # the portal looks at the published file at most once a second
        response = httpx.get(f"{site['base']}/glaneur/resources/{rid}.json?_shape=objects", timeout=20)
        response.raise_for_status()
        rows = response.json()["rows"]
        if rows:
            return rows[0]
        time.sleep(0.2)
    raise AssertionError(f"ressource {rid} absente")


def _wait_for(site: dict, rid: str, column: str, expected) -> dict:
    row = {}
    for _ in range(30):
        row = _resource(site, rid)
        if row[column] == expected:
            return row
        time.sleep(0.3)
    raise AssertionError(f"{column} = {row.get(column)!r}, attendu {expected!r}")


def test_write_routes_refuse_anonymous_and_wrong_role(site):
    rid = site["rid"]
    routes = [f"/edition/ressources/{rid}", "/edition/corrections/1/annuler"]
    before = json.dumps(_resource(site, rid), sort_keys=True)
    for path in routes:
        anonymous = httpx.post(site["base"] + path, data=_form("x"), timeout=20)
        assert anonymous.status_code == 403, path
        assert "réservée aux éditeurs" in anonymous.text and "Se connecter" in anonymous.text
        pro = login(site["base"], PRO, PASSWORD)
        refused = pro.post(path, data=_form(_token(pro)))
        assert refused.status_code == 403, path
        assert "réservée aux éditeurs" in refused.text and "Se connecter" not in refused.text
    assert httpx.get(f"{site['base']}/edition/ressources/{rid}", timeout=20).status_code == 403
    assert login(site["base"], PRO, PASSWORD).get(f"/edition/ressources/{rid}").status_code == 403
    page = login(site["base"], PRO, PASSWORD).get(f"/glaneur/resources/{rid}")
    assert page.status_code == 200 and "Corriger cette ressource" not in page.text
    assert json.dumps(_resource(site, rid), sort_keys=True) == before
    assert not site["edition"].exists() or not open_edition_db(site["edition"])["corrections"].count


def test_csrf_is_required_for_a_logged_in_editor(site):
    editor = login(site["base"], EDITOR, PASSWORD)
    data = _form(_token(editor))
    data.pop("csrftoken")
    refused = editor.post(f"/edition/ressources/{site['rid']}", data=data)
    assert refused.status_code == 403
    assert "jeton de sécurité" in refused.text and "<h1>Formulaire refusé</h1>" in refused.text
    assert "did not match" not in refused.text
    forged = _form("jeton-fabrique")
    assert editor.post(f"/edition/ressources/{site['rid']}", data=forged).status_code == 403
    assert editor.post("/edition/corrections/1/annuler", data={}).status_code == 403


def test_errors_are_french_named_and_store_nothing(site):
    editor = login(site["base"], EDITOR, PASSWORD)
    bad = _form(_token(editor), deadline="31/02/2026", departements="30, 999", event_start="2026-12-12",
                event_end="2026-12-01", themes=["pas-un-theme"], raison=" ")
    response = editor.post(f"/edition/ressources/{site['rid']}", data=bad)
    assert response.status_code == 400
    errors = re.findall(r'<li><a href="#corr-([a-z_]+)">([^<]+)</a>', response.text)
    fields = {name for name, _ in errors}
    assert fields == {"themes", "departements", "deadline", "event_end", "raison"}, errors
    assert 'role="alert"' in response.text and "<title>Erreur : Corriger" in response.text
    assert 'id="corr-deadline" name="deadline" value="31/02/2026" aria-invalid="true"' in response.text
    assert 'aria-describedby="corr-deadline-erreur"' in response.text
    same = editor.post(f"/edition/ressources/{site['rid']}", data={
        "csrftoken": _token(editor), **{k: v for k, v in _current_form(site, site["rid"]).items()}, "raison": "rien"})
    assert same.status_code == 400 and "Aucun champ n&#39;a changé" in same.text
    db = open_edition_db(site["edition"])
    assert db["corrections"].count == 0
    db.close()


def _current_form(site: dict, rid: str) -> dict:
    row = _resource(site, rid)
    return {"type": row["type"], "themes": json.loads(row["themes"]), "audiences": json.loads(row["audiences"]),
            "regions": json.loads(row["regions"]), "departements": ", ".join(json.loads(row["departements"])),
            "deadline": row["deadline"] or "", "event_start": row["event_start"] or "",
            "event_end": row["event_end"] or "", "location": row["location"] or "", "summary": row["summary"] or ""}


def test_correction_is_published_at_once_survives_rebuilds_and_undoes(site):
    rid, base = site["rid"], site["base"]
    original = _resource(site, rid)
    editor = login(base, EDITOR, PASSWORD)
    response = editor.post(f"/edition/ressources/{rid}", data=_form(_token(editor)))
    assert response.status_code == 302 and response.headers["location"] == f"/glaneur/resources/{rid}"

    # Published at once: the next request reads the corrected copy.
    page = editor.get(f"/glaneur/resources/{rid}")
    assert "Correction enregistrée et publiée" in page.text
    row = _wait_for(site, rid, "type", "formation")
    assert json.loads(row["departements"]) == ["30"] and json.loads(row["regions"]) == ["76"]
    assert row["scope"] == "local" and row["location"] == "Nîmes"
    assert (row["event_start"], row["event_end"]) == ("2026-12-10", "2026-12-11")
    assert json.loads(row["themes"]) == ["logistique", "benevolat"]
    public = httpx.get(f"{base}/glaneur/resources/{rid}", timeout=20).text
    assert "Corrigé par l&#39;équipe du portail" in public or "Corrigé par l'équipe du portail" in public
    assert EDITOR not in public  # who corrected stays among the editors
    # Derived tables follow: the map of events, the search index, the facets.
    assert httpx.get(f"{base}/glaneur/evenements_carte.json?id={rid}", timeout=20).json()["rows"]
    found = httpx.get(f"{base}/glaneur/resources.json?_search=corrigés+équipe&_shape=objects", timeout=20).json()
    assert [r["id"] for r in found["rows"]] == [rid]
    facet = httpx.get(f"{base}/glaneur/resources.json?departements__arraycontains=30&_shape=objects&_size=max",
                      timeout=20).json()
    assert rid in {r["id"] for r in facet["rows"]}

    # Stored apart, with who, when and why; journalled.
    db = open_edition_db(site["edition"])
    rows = list(db.query("select * from corrections order by id"))
    journal = list(db.query("select * from journal where action = 'correction'"))
    db.close()
    assert {r["field"] for r in rows} == {"type", "themes", "audiences", "territoires", "evenement", "location",
                                         "summary"}
    who = {(r["author"], r["reason"], r["document_id"]) for r in rows}
    assert who == {(EDITOR, "Vérifié sur le site", site["doc"])}
    assert len(journal) == len(rows) and all(j["actor"] == EDITOR and j["at"] for j in journal)

    # A real rebuild from the documents applies them again on top of normalization.
    built = glaneur("build", "--force", "--db", str(site["db"]), env=site["env"])
    assert "7 correction(s) des éditeurs appliquée(s)" in built.stderr
    time.sleep(1.1)
    row = _wait_for(site, rid, "type", "formation")
    assert row["location"] == "Nîmes" and json.loads(row["departements"]) == ["30"]

    # Undo the type: the normalized type comes back, the other corrections stay.
    page = editor.get(f"/glaneur/resources/{rid}").text
    undo_path = re.search(r'action="(/edition/corrections/(\d+)/annuler)"[^>]*>\s*<input type="hidden" '
                          r'name="csrftoken" value="[^"]+">\s*<input type="submit" value="Annuler cette correction" '
                          r'aria-label="Annuler la correction « Type de ressource »', page)
    assert undo_path, "bouton d'annulation du type absent"
    undone = editor.post(undo_path.group(1), data={"csrftoken": _token(editor)})
    assert undone.status_code == 302
    row = _wait_for(site, rid, "type", original["type"])
    assert row["location"] == "Nîmes"
    glaneur("build", "--db", str(site["db"]), env=site["env"])  # not skipped: the corrections in force changed
    time.sleep(1.1)
    row = _wait_for(site, rid, "type", original["type"])
    assert row["location"] == "Nîmes"
    db = open_edition_db(site["edition"])
    kept = db.execute("select undone_by from corrections where field = 'type'").fetchone()
    assert kept == (EDITOR,)  # undone, not deleted
    assert db.execute("select count(*) from journal where action = 'annulation'").fetchone()[0] == 1
    db.close()
    assert editor.post(undo_path.group(1), data={"csrftoken": _token(editor)}).status_code == 400

    # The administrator holds the editor's role too.
    admin = login(base, ADMIN, PASSWORD)
    assert admin.get(f"/edition/ressources/{rid}").status_code == 200


def test_vanished_resource_is_reported_not_lost_and_export(site, tmp_path):
    db = open_edition_db(site["edition"])
    gone = record(db, "ressource-disparue", "document-disparu", "summary", {"summary": "Texte"}, {},
                  EDITOR, "Test de disparition")
    db.close()
    built = glaneur("build", "--force", "--db", str(site["db"]), env=site["env"])
    assert f"Correction {gone['id']} (summary, ressource ressource-disparue) non appliquée : ressource disparue" \
        in built.stderr
    listing = glaneur("corrections", "list", "--db", str(site["db"]), env=site["env"])
    assert "ressource disparue" in listing.stdout and f"Attention : correction {gone['id']}" in listing.stderr
    exported = glaneur("corrections", "export", "--format", "json", "--db", str(site["db"]), env=site["env"])
    states = {r["id"]: r["etat"] for r in json.loads(exported.stdout)}
    assert states[gone["id"]].startswith("ressource disparue")

    cases = tmp_path / "cas"
    glaneur("corrections", "export", "--format", "eval", "--sortie", str(cases), "--db", str(site["db"]),
            env=site["env"])
    labels = [json.loads(line) for line in (cases / "labels-corrections.jsonl").read_text().splitlines()]
    # The resource corrected above (800 characters of text) is a case; the vanished one is not.
    assert [case["id"] for case in labels] == [f"corr-{site['rid']}"]
    assert check_folder(cases) == []
    [case] = labels
    assert case["corrected_fields"] == ["audiences", "evenement", "location", "summary", "territoires", "themes"]
    assert case["expected"]["departements"] == ["30"] and case["expected"]["location"] == "Nîmes"
    assert case["expected"]["event_start"] is None  # the type correction was undone: not an event any more
    measured = glaneur("eval", "--dir", str(cases), "--format", "json", env=site["env"])
    assert json.loads(measured.stdout)["parts"][str(cases)]["documents"] == 1
    csv_out = tmp_path / "corrections.csv"
    glaneur("corrections", "export", "--sortie", str(csv_out), "--db", str(site["db"]), env=site["env"])
    assert "ressource-disparue" in csv_out.read_text(encoding="utf-8")


def test_form_in_the_browser(site, browser):
    """An editor logs in, opens the form on the resource page, corrects the place, sees it published."""
    from playwright.sync_api import expect

    rid, base = site["other"], site["base"]
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{base}/-/login?next=/glaneur/resources/{rid}")
    page.get_by_label("Identifiant").fill(EDITOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("connecter", re.I)).click()
    page.wait_for_url(f"**/glaneur/resources/{rid}")
    page.get_by_text("Ouvrir le formulaire de correction").click()
    page.get_by_label("Lieu").fill("Salle des fêtes, Lodève")
    page.get_by_role("group", name="Publics").get_by_label("Chercheurs").check()
    page.get_by_label(re.compile("Pourquoi cette correction")).fill("Lieu donné par l'organisateur")
    page.get_by_role("button", name="Enregistrer et publier la correction").click()
    page.wait_for_url(f"**/glaneur/resources/{rid}")
    assert "Correction enregistrée et publiée (publics, lieu)" in page.get_by_role("status").first.inner_text()
    assert page.get_by_text("Corrigé par l'équipe du portail").is_visible()
    row = _wait_for(site, rid, "location", "Salle des fêtes, Lodève")
    assert "chercheurs" in json.loads(row["audiences"])

    # Errors: announced, focused, each one linked to its field.
    page.goto(f"{base}/edition/ressources/{rid}")
    page.get_by_label(re.compile("Départements")).fill("30, 999")
    page.get_by_role("button", name="Enregistrer et publier la correction").click()
    alert = page.get_by_role("alert")
    assert "code inconnu 999" in alert.inner_text() and "pourquoi vous corrigez" in alert.inner_text()
    expect(page.locator("#erreurs-correction")).to_be_focused()  # focused once the page is parsed
    alert.get_by_role("link", name=re.compile("999")).click()
    expect(page.locator("#corr-departements")).to_be_focused()
    context.close()


def test_only_roles_of_the_file_count(site, tmp_path):
    """A role taken away stops the session's next write, without logging out."""
    accounts = Path(site["env"]["GLANEUR_ACCOUNTS"])
    editor = login(site["base"], EDITOR, PASSWORD)
    assert editor.get(f"/edition/ressources/{site['rid']}").status_code == 200
    env = {**site["env"], "GLANEUR_EDITION_DB": str(site["edition"])}
    glaneur("comptes", "role", EDITOR, "éditeur", "--retirer", "--fichier", str(accounts), env=env)
    try:
        assert editor.get(f"/edition/ressources/{site['rid']}").status_code == 403
    finally:
        glaneur("comptes", "role", EDITOR, "éditeur", "--fichier", str(accounts), env=env)
    assert editor.get(f"/edition/ressources/{site['rid']}").status_code == 200
    db = open_edition_db(site["edition"])
    actions = [r[0] for r in db.execute("select action from journal where target = ? order by id", [EDITOR])]
    db.close()
    assert actions[-2:] == ["rôle retiré", "rôle donné"]


# -- Pratiques inspirantes and « À la une » ----------------------------------------------------

def _ids_on_home(base: str) -> list[str]:
    home = httpx.get(base + "/", timeout=20).text
    section = re.search(r'<section class="a-la-une".*?</section>', home, re.S)
    return re.findall(r'href="/glaneur/resources/([^"]+)"', section.group(0)) if section else []


def test_feature_routes_refuse_anonymous_and_wrong_role(site):
    rid = site["rid"]
    writes = [f"/edition/ressources/{rid}/pratique", "/edition/pratiques/1/retirer", f"/edition/ressources/{rid}/une",
              "/edition/une/1/monter", "/edition/une/1/descendre", "/edition/une/1/retirer"]
    pro = login(site["base"], PRO, PASSWORD)
    for path in writes:
        assert httpx.post(site["base"] + path, data={"criteres": "dignite", "note": "x"}, timeout=20).status_code \
            == 403, path
        assert pro.post(path, data={"csrftoken": _token(pro), "criteres": "dignite", "note": "x"}).status_code \
            == 403, path
        assert login(site["base"], EDITOR, PASSWORD).get(path).status_code == 405, path
    assert httpx.get(site["base"] + "/edition/a-la-une", timeout=20).status_code == 403
    assert pro.get("/edition/a-la-une").status_code == 403
    assert httpx.get(site["base"] + "/pratiques-inspirantes", timeout=20).status_code == 200  # public
    db = open_edition_db(site["edition"])
    assert db["pratiques"].count == 0 and db["une"].count == 0
    db.close()


def test_practice_and_featured_resources_published_rebuilt_and_in_the_letter(site):
    base, rid, other = site["base"], site["rid"], site["other"]
    editor = login(base, EDITOR, PASSWORD)
    token = _token(editor)
    missing = editor.post(f"/edition/ressources/{rid}/pratique", data={"csrftoken": token, "note": "Belle note"})
    assert missing.status_code == 400
    assert re.findall(r'<li><a href="#pratique-criteres">([^<]+)', missing.text) == [
        "Cochez au moins un des critères que la pratique remplit."]
    assert "Belle note</textarea>" in missing.text  # what was typed comes back
    qualified = editor.post(f"/edition/ressources/{rid}/pratique", data={
        "csrftoken": token, "criteres": ["participation", "essaimage"],
        "note": "Les personnes accueillies tiennent elles-mêmes le comptoir."})
    assert qualified.status_code == 302
    practices = httpx.get(base + "/pratiques-inspirantes", timeout=20).text
    assert "Les personnes accueillies tiennent elles-mêmes le comptoir." in practices
    assert "Participation des personnes, Essaimage possible" in practices
    assert "Dignité et libre choix" in practices  # every published criterion is listed
    page = httpx.get(f"{base}/glaneur/resources/{rid}", timeout=20).text
    assert "<h2 id=\"pratique-titre\">Pratique inspirante</h2>" in page

    for target in (rid, other):
        assert editor.post(f"/edition/ressources/{target}/une", data={"csrftoken": token}).status_code == 302
    assert _ids_on_home(base) == [rid, other]
    again = editor.post(f"/edition/ressources/{rid}/une", data={"csrftoken": token})
    assert again.status_code == 400 and "déjà à la une" in again.text
    order = editor.get("/edition/a-la-une").text
    up = re.search(r'action="(/edition/une/\d+/monter)"', order).group(1)
    assert editor.post(up, data={"csrftoken": token}).status_code == 302
    assert _ids_on_home(base) == [other, rid]

    # A real rebuild keeps them, in the same order; the letter opens with them.
    glaneur("build", "--force", "--db", str(site["db"]), env=site["env"])
    time.sleep(1.1)
    assert _ids_on_home(base) == [other, rid]
    assert "Les personnes accueillies" in httpx.get(base + "/pratiques-inspirantes", timeout=20).text
    letter = glaneur("digest", "--db", str(site["db"]), "--as-of", "2026-11-20", "--format", "txt",
                     env=site["env"]).stdout
    titles = [_resource(site, i)["title"] for i in (other, rid)]
    head = letter.split("== À la une (choisies par l'équipe du portail) ==", 1)[1].split("==", 1)[0]
    assert head.index(titles[0]) < head.index(titles[1])

    # Withdrawn: gone from the home page and the practices, kept in the history and the journal.
    order = editor.get("/edition/a-la-une").text
    remove = re.search(r'action="(/edition/une/\d+/retirer)"', order).group(1)
    assert editor.post(remove, data={"csrftoken": token}).status_code == 302
    assert _ids_on_home(base) == [rid]
    page = editor.get(f"/glaneur/resources/{rid}").text
    withdraw = re.search(r'action="(/edition/pratiques/\d+/retirer)"', page).group(1)
    assert editor.post(withdraw, data={"csrftoken": token}).status_code == 302
    assert "Les personnes accueillies" not in httpx.get(base + "/pratiques-inspirantes", timeout=20).text
    db = open_edition_db(site["edition"])
    actions = [r[0] for r in db.execute("select action from journal where actor = ? order by id", [EDITOR])]
    assert db["pratiques"].count == 1 and db["une"].count == 2
    db.close()
    for action in ("pratique inspirante", "à la une", "ordre de la une", "retirée de la une", "pratique retirée"):
        assert action in actions


def test_featured_resource_that_vanished_is_reported(site):
    from glaneur.features import feature

    db = open_edition_db(site["edition"])
    gone = feature(db, "ressource-envolee", "document-envole", EDITOR)
    db.close()
    built = glaneur("build", "--force", "--db", str(site["db"]), env=site["env"])
    assert f"Mise à la une {gone['id']} (ressource ressource-envolee) non appliquée : ressource disparue" \
        in built.stderr
    order = login(site["base"], EDITOR, PASSWORD).get("/edition/a-la-une").text
    assert "ressource-envolee" in order and "ressource disparue" in order


def test_practice_form_and_featured_pages_in_the_browser(site, browser):
    """Qualify from the form in Chromium, feature from the page; axe-core on the pages that show them."""
    from tests.portal.test_accessibility import STRUCTURE, WCAG_AA, axe_violations

    other, base = site["other"], site["base"]
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{base}/-/login?next=/glaneur/resources/{other}")
    page.get_by_label("Identifiant").fill(EDITOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**/glaneur/resources/{other}")
    page.get_by_text("Qualifier de pratique inspirante").click()
    criteria = page.get_by_role("group", name=re.compile("Critères que la pratique remplit"))
    criteria.get_by_label(re.compile("Coopération")).check()
    page.get_by_label(re.compile("Note éditoriale")).fill("Trois associations partagent un camion frigorifique.")
    page.get_by_role("button", name="Enregistrer la pratique inspirante").click()
    page.wait_for_url(f"**/glaneur/resources/{other}")
    assert "Pratique inspirante enregistrée et publiée" in page.get_by_role("status").first.inner_text()
    page.get_by_role("button", name="Mettre à la une").click()
    page.wait_for_url(f"**/glaneur/resources/{other}")
    assert page.get_by_role("button", name="Retirer de la une").is_visible()
    for path in (f"/glaneur/resources/{other}", "/pratiques-inspirantes", "/", "/edition/a-la-une"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        if path.startswith("/glaneur"):
            for summary in page.locator("details > summary").all():
                summary.click()
        assert axe_violations(page, {"type": "tag", "values": WCAG_AA}) == [], path
        assert axe_violations(page, {"type": "rule", "values": STRUCTURE}) == [], path
    page.goto(base + "/")
    assert page.get_by_role("heading", name="À la une").is_visible()
    assert "Trois associations partagent" in httpx.get(base + "/pratiques-inspirantes", timeout=20).text
    context.close()


def _edition_routes() -> list[str]:
    """Every route of the editors' plugin, with sample values in its groups (public pages left out)."""
    import importlib.util

    from tests.support import ROOT

    spec = importlib.util.spec_from_file_location("glaneur_edition_routes",
                                                  ROOT / "datasette" / "plugins" / "glaneur_edition.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    samples = {"rid": "RID", "cid": "1", "n": "1"}
    public = {"/pratiques-inspirantes", "/proposer", "/proposer-une-source"}  # read-only page; partners' forms
    paths = []
    for pattern, _ in module.register_routes():
        path = re.sub(r"\(\?P<(\w+)>([^)]*)\)",  # a group of words gives its first word (monter|…)
                      lambda m: m.group(2).split("|")[0] if re.fullmatch(r"[a-z|]+", m.group(2))
                      else samples[m.group(1)], pattern.strip("^$"))
        if path not in public:
            paths.append(path)
    return paths


def test_every_edition_route_refuses_anonymous_and_wrong_role(site):
    """Derived from the plugin's own routes: a route added without the role check fails here."""
    paths = [p.replace("RID", site["rid"]) for p in _edition_routes()]
    assert len(paths) == 10
    pro = login(site["base"], PRO, PASSWORD)
    token = _token(pro)
    for path in paths:
        for method in ("GET", "POST"):
            anonymous = httpx.request(method, site["base"] + path, timeout=20)
            assert anonymous.status_code in (403, 405), (method, path, anonymous.status_code)
            refused = pro.request(method, path, data={"csrftoken": token} if method == "POST" else None)
            assert refused.status_code in (403, 405), (method, path, refused.status_code)
            if method == "POST":
                assert anonymous.status_code == refused.status_code == 403, path
