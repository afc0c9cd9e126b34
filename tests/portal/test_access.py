"""The directory of actors: no row for anonymous visitors by any path, every path once logged in."""

from __future__ import annotations

import httpx
import pytest

from tests.portal.conftest import LOGIN, PASSWORD
from tests.portal.helpers import login

pytestmark = pytest.mark.e2e

SECRET = "Courte"  # from « La Courte Échelle », a name only the acteurs table holds (ASCII: JSON escapes accents)
SQL = "select nom, courriel from acteurs"

# (path, params): every way Datasette could hand out rows of the directory (database `annuaire`).
PATHS = [
    ("/annuaire", {}),
    ("/annuaire/acteurs", {}),
    ("/annuaire/acteurs.json", {}),
    ("/annuaire/acteurs.json", {"_shape": "array"}),
    ("/annuaire/acteurs.csv", {}),
    ("/annuaire/acteurs.csv", {"_stream": "on"}),
    ("/annuaire/acteurs", {"_facet": "categorie"}),
    ("/annuaire/acteurs/a01", {}),
    ("/annuaire/acteurs/a01.json", {}),
    ("/annuaire", {"sql": SQL}),
    ("/annuaire.json", {"sql": SQL}),
    ("/annuaire.csv", {"sql": SQL}),
    ("/annuaire/annuaire_par_departement", {"departement": ""}),
    ("/annuaire/annuaire_par_departement.json", {"departement": ""}),
    ("/annuaire/annuaire_par_departement.csv", {"departement": ""}),
]
# From the public database, open to everyone's SQL: the directory is out of reach, and so are
# the server's file paths.
def from_public_db(directory_file: str) -> list[tuple[str, dict]]:
    return [
        ("/glaneur", {"sql": SQL}),
        ("/glaneur.json", {"sql": SQL}),
        ("/glaneur.json", {"sql": "select * from annuaire.acteurs"}),
        ("/glaneur.json", {"sql": f"attach database '{directory_file}' as a"}),
        ("/glaneur.json", {"sql": f"select 1; attach database '{directory_file}' as a"}),
        ("/glaneur.json", {"sql": f"with x as (select 1) select * from x; attach '{directory_file}' as a"}),
        ("/glaneur.json", {"sql": "select file from pragma_database_list"}),
        ("/glaneur.json", {"sql": "select * from pragma_database_list()"}),
        ("/glaneur.atom", {"sql": "select id, nom as title, '2026-01-01' as published from acteurs"}),
        ("/glaneur/resources.json", {"_where": "1 or exists (select 1 from acteurs)"}),
        ("/_internal.json", {"sql": "select * from databases"}),
        ("/_internal/databases.json", {}),
    ]


@pytest.mark.parametrize(("path", "params"), PATHS)
def test_anonymous_gets_no_actor_row(server, path, params):
    response = httpx.get(server + path, params=params)
    assert response.status_code == 403, (path, response.status_code)
    assert SECRET not in response.text
    assert "réservée aux professionnels connectés" in response.text or path.endswith((".json", ".csv"))


def test_nobody_reaches_the_directory_from_the_public_database(server, portal_db):
    from glaneur.publish import portal_files

    public, directory = portal_files(portal_db)
    for client in (httpx.Client(base_url=server), login(server, LOGIN, PASSWORD)):
        for path, params in from_public_db(str(directory)):
            response = client.get(path, params=params)
            assert response.status_code in (400, 403), (path, params, response.status_code)
            assert SECRET not in response.text, (path, params)
            echoed = sum(v.count(str(public.parent)) for v in params.values())  # the query shown back
            assert response.text.count(str(public.parent)) <= echoed, (path, params)


def test_public_sql_is_open_to_everyone(server):
    response = httpx.get(server + "/glaneur.json", params={"sql": "select count(*) as n from resources",
                                                         "_shape": "array"})
    assert response.status_code == 200
    assert response.json()[0]["n"] > 0


# Pages that are public but must not mention the directory's content.
PUBLIC = ["/", "/glaneur", "/glaneur.json", "/-/metadata.json", "/recherche?q=Courte+Echelle",
          "/glaneur/evenements_carte.json", "/-/databases.json", "/-/threads.json", "/-/plugins.json",
          "/-/versions.json", "/-/settings.json"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_leak_nothing(server, path):
    response = httpx.get(server + path)
    assert response.status_code == 200
    assert "courte-echelle.exemple.org" not in response.text  # the actor's e-mail
    assert "Courte" not in response.text or path.startswith("/recherche")
    assert "pbkdf2" not in response.text  # password hashes never leave the login check
    if path.startswith("/-/"):
        assert "\"acteurs\"" not in response.text and "courriel" not in response.text.lower()
        for path_start in ("/tmp", "/root", "/home", "/srv", "/work", "/usr", ".portail", "site-packages"):
            assert path_start not in response.text, path_start  # no server path


def test_database_download_is_off(server):
    for name in ("glaneur", "annuaire"):
        assert httpx.get(server + f"/{name}.db").status_code == 403


def test_wrong_password_is_refused_in_french(server):
    client = httpx.Client(base_url=server)
    token = client.get("/-/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    response = client.post("/-/login", data={"username": LOGIN, "password": "faux", "csrftoken": token})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.text
    assert "ds_actor" not in client.cookies


@pytest.mark.parametrize(("path", "params"), PATHS)
def test_logged_in_professional_reads_the_directory(server, path, params):
    client = login(server, LOGIN, PASSWORD)
    response = client.get(path, params=params)
    assert response.status_code == 200, (path, response.text[:300])
    assert SECRET in response.text or "/annuaire/acteurs/a01" in path or path == "/annuaire"


def test_logged_in_row_page_and_map_columns(server):
    client = login(server, LOGIN, PASSWORD)
    row = client.get("/annuaire/acteurs/a01.json", params={"_shape": "array"}).json()[0]
    assert row["nom"].startswith("Épicerie solidaire La Courte Échelle")
    assert row["donnees"].startswith("Contacts synthétiques")
    assert 43 < row["latitude"] < 43.3 and 2.9 < row["longitude"] < 3.1  # Narbonne
