"""The directory of actors: no row for anonymous visitors by any path, every path once logged in."""

from __future__ import annotations

import httpx
import pytest

from tests.portal.conftest import LOGIN, PASSWORD
from tests.portal.helpers import login

pytestmark = pytest.mark.e2e

SECRET = "Courte"  # from « La Courte Échelle », a name only the acteurs table holds (ASCII: JSON escapes accents)
SQL = "select nom, courriel from acteurs"

# (path, params): every way Datasette could hand out rows of `acteurs`.
PATHS = [
    ("/glaneur/acteurs", {}),
    ("/glaneur/acteurs.json", {}),
    ("/glaneur/acteurs.json", {"_shape": "array"}),
    ("/glaneur/acteurs.csv", {}),
    ("/glaneur/acteurs.csv", {"_stream": "on"}),
    ("/glaneur/acteurs", {"_facet": "categorie"}),
    ("/glaneur/acteurs/a01", {}),
    ("/glaneur/acteurs/a01.json", {}),
    ("/glaneur", {"sql": SQL}),
    ("/glaneur.json", {"sql": SQL}),
    ("/glaneur.csv", {"sql": SQL}),
    ("/glaneur.atom", {"sql": "select id, nom as title, '2026-01-01' as published from acteurs"}),
    ("/glaneur/annuaire_par_departement", {"departement": ""}),
    ("/glaneur/annuaire_par_departement.json", {"departement": ""}),
    ("/glaneur/annuaire_par_departement.csv", {"departement": ""}),
    ("/glaneur/resources.json", {"_where": "1 or exists (select 1 from acteurs)"}),
]
# Pages that are public but must not mention the directory's content.
PUBLIC = ["/", "/glaneur", "/glaneur.json", "/-/metadata.json", "/recherche?q=Courte+Echelle",
          "/glaneur/evenements_carte.json", "/-/databases.json"]


@pytest.mark.parametrize(("path", "params"), PATHS)
def test_anonymous_gets_no_actor_row(server, path, params):
    response = httpx.get(server + path, params=params)
    assert response.status_code in (400, 403), (path, response.status_code)
    assert SECRET not in response.text


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_leak_nothing(server, path):
    response = httpx.get(server + path)
    assert response.status_code == 200
    assert "courte-echelle.exemple.org" not in response.text  # the actor's e-mail
    assert "Courte" not in response.text or path.startswith("/recherche")
    assert "pbkdf2" not in response.text  # password hashes never leave the login check


def test_database_download_is_off(server):
    assert httpx.get(server + "/glaneur.db").status_code == 403


def test_wrong_password_is_refused_in_french(server):
    client = httpx.Client(base_url=server)
    token = client.get("/-/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    response = client.post("/-/login", data={"username": LOGIN, "password": "faux", "csrftoken": token})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.text
    assert "ds_actor" not in client.cookies


@pytest.mark.parametrize(("path", "params"), [p for p in PATHS if "_where" not in p[1]])
def test_logged_in_professional_reads_the_directory(server, path, params):
    client = login(server, LOGIN, PASSWORD)
    response = client.get(path, params=params)
    assert response.status_code == 200, (path, response.text[:300])
    assert SECRET in response.text or "/glaneur/acteurs/a01" in path


def test_logged_in_row_page_and_map_columns(server):
    client = login(server, LOGIN, PASSWORD)
    row = client.get("/glaneur/acteurs/a01.json", params={"_shape": "array"}).json()[0]
    assert row["nom"].startswith("Épicerie solidaire La Courte Échelle")
    assert row["donnees"].startswith("Contacts synthétiques")
    assert 43 < row["latitude"] < 43.3 and 2.9 < row["longitude"] < 3.1  # Narbonne
