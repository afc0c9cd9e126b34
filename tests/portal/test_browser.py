"""The portal in a real headless Chromium: pages render in French, without console errors, at 375 px too.

Screenshots go to test-artifacts/portail/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.portal.conftest import LOGIN, PASSWORD
from tests.support import ROOT

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")

SHOTS = ROOT / "test-artifacts" / "portail"


def visit(page, url: str, shot: str):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    assert response.status == 200, url
    assert page.errors == [], page.errors
    return page


def test_home(page_factory, server):
    page = visit(page_factory(), server + "/", "accueil")
    assert page.locator("h1").inner_text() == "Portail de la lutte contre la précarité alimentaire"
    assert "20 novembre 2026" in page.locator(".date-portail").inner_text()
    assert page.locator("ul.types").get_by_text("Appel à projets / financement").count() == 1
    closing = page.locator(".colonnes-accueil section", has_text="clôture dans les 30 jours")
    assert closing.get_by_text("coopératives alimentaires et logistique du Gard").count() == 1
    assert page.locator(".colonnes-accueil section", has_text="Événements et formations à venir").get_by_text(
        "Formation des bénévoles à la ramasse des invendus").count() == 1


def test_search_from_home_box(page_factory, server):
    page = visit(page_factory(), server + "/", "accueil-avant-recherche")
    page.fill("#q", "formations")
    page.click("input[type=submit][value=Rechercher]")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "recherche.png"), full_page=True)
    assert "ressources pour « formations »" in page.locator("#resume-selection").inner_text()
    assert page.get_by_text("Formation des bénévoles à la ramasse des invendus").count() == 1
    assert page.errors == []


def test_facet_selection(page_factory, server):
    page = visit(page_factory(), server + "/glaneur/resources?_search=appel", "facettes")
    facet = page.locator("#facet-statut_echeance")
    assert "Appel à projets ouvert / clos" in facet.inner_text()
    facet.get_by_role("link", name="Ouvert").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "facette-ouvert.png"), full_page=True)
    summary = page.locator("#resume-selection").inner_text()
    assert "Appel à projets ouvert / clos est égal à « Ouvert »" in summary
    assert page.get_by_text("Fonds test pour la ramasse des invendus").count() == 0
    assert page.locator("#facet-regions").get_by_text("Occitanie").count() >= 1
    assert page.errors == []


def test_resource_page(page_factory, server):
    page = visit(page_factory(), server + "/glaneur/resources/test-aap-ouvert", "ressource")
    assert page.locator("h1").inner_text().startswith("Appel à projets : coopératives")
    assert "5 décembre 2026" in page.locator(".echeance-bloc").inner_text()
    body = page.locator(".page-ressource").inner_text()
    for text in ("Occitanie", "Gard (30)", "Approvisionnement", "Logistique et mutualisation",
                 "DDETS du Gard", "Aussi publié par", "Licence"):
        assert text in body, text
    assert page.locator(".ressources-liees li").count() >= 1


def test_practical_sheet(page_factory, server):
    page = visit(page_factory(), server + "/fiches/approvisionnement", "fiche")
    assert "S'approvisionner" in page.locator("h1").inner_text()
    assert page.locator(".ressources-fiche").get_by_text("Formation des bénévoles à la ramasse").count() == 1


def test_login_then_directory_and_map(page_factory, server):
    page = page_factory()
    assert page.goto(server + "/annuaire/acteurs").status == 403
    assert page.locator("h1").inner_text() == "Accès réservé"
    page.errors.clear()  # the browser logs the 403 it was just shown
    page.get_by_role("link", name="Se connecter").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "connexion.png"), full_page=True)
    page.fill("#id_username", LOGIN)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url == server + "/annuaire/acteurs"  # back where the visitor was going
    assert "Déconnexion" in page.locator(".portail-nav").inner_text()
    page.screenshot(path=str(SHOTS / "annuaire.png"), full_page=True)
    assert page.get_by_text("Épicerie solidaire La Courte Échelle").count() >= 1
    page.wait_for_selector(".leaflet-container")
    page.screenshot(path=str(SHOTS / "annuaire-carte.png"), full_page=True)
    assert page.errors == []


@pytest.mark.parametrize(("path", "shot"), [
    ("/", "mobile-accueil"), ("/glaneur/resources?_search=formations", "mobile-recherche"),
    ("/glaneur/resources/test-aap-ouvert", "mobile-ressource"), ("/fiches/logistique", "mobile-fiche"),
])
def test_usable_at_375px(page_factory, server, path, shot):
    page = visit(page_factory(375), server + path, shot)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"la page déborde de {overflow} px"
