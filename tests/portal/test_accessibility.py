"""RGAA 4.1 / WCAG 2.1 AA in Debian's Chromium: axe-core on every page type, plus what axe leaves out.

axe-core comes from the npm registry through the project's own `package.json` (`make test` runs
`npm ci`); it checks the rendered page, styles and scripts included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.portal.conftest import EDITOR_LOGIN, PASSWORD
from tests.support import ROOT

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = {
    "accueil": "/",
    "recherche": "/recherche?q=formation",
    "recherche-vide": "/recherche?q=zzzzqqq",
    "base": "/glaneur",
    "ressources": "/glaneur/resources",
    "ressources-facette": "/glaneur/resources?type=formation&_search=ramasse",
    "ressource": "/glaneur/resources/test-aap-ouvert",
    "requete": "/glaneur/appels_ouverts",
    "carte": "/glaneur/evenements_carte?a_venir=1",
    "fiches": "/fiches",
    "fiche": "/fiches/approvisionnement",
    "etat-des-sources": "/etat-des-sources",
    "connexion": "/-/login",
    "abonnement": "/abonnement",
    "introuvable": "/glaneur/resources/nimporte",
    "accessibilite": "/accessibilite",
    "pratiques-inspirantes": "/pratiques-inspirantes",
    "proposer": "/proposer",
    "proposer-une-source": "/proposer-une-source",
}
# Pages of the editors (« éditeur » role), reached after logging in through the login form.
EDITOR_PAGES = {
    "ressource-editeur": "/glaneur/resources/test-aap-ouvert",  # the correction form opened
    "correction": "/edition/ressources/test-aap-ouvert",
    "correction-erreurs": "/edition/ressources/test-aap-ouvert",  # sent with errors
    "pratique-erreurs": "/edition/ressources/test-aap-ouvert",  # a qualification sent without criteria
    "a-la-une": "/edition/a-la-une",
}
# Structure rules axe files under best practices; RGAA 9.1, 9.2 and 12.7 ask for them.
STRUCTURE = ["heading-order", "landmark-one-main", "page-has-heading-one", "landmark-unique",
             "landmark-no-duplicate-main", "bypass"]


def axe_violations(page, run_only: dict) -> list[str]:
    if not AXE.exists():
        pytest.fail("axe-core absent : lancer `make test` (npm ci) ou `npm ci`")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async (only) => (await axe.run(document, {runOnly: only})).violations"
        ".map(v => v.id + ' (' + v.impact + ') : ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))",
        run_only)


@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violation(page_factory, server, name):
    page = page_factory()
    page.goto(server + PAGES[name])
    page.wait_for_load_state("networkidle")
    assert axe_violations(page, {"type": "tag", "values": WCAG_AA}) == []
    assert axe_violations(page, {"type": "rule", "values": STRUCTURE}) == []


def _editor_page(page_factory, server, name: str, width: int = 1280):
    """An editor's page as the editor sees it: logged in, form opened, or sent with errors."""
    page = page_factory(width)
    page.goto(server + "/-/login?next=" + EDITOR_PAGES[name])
    page.get_by_label("Identifiant").fill(EDITOR_LOGIN)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**" + EDITOR_PAGES[name])
    if name == "ressource-editeur":
        page.get_by_text("Ouvrir le formulaire de correction").click()
    if name == "correction-erreurs":
        page.get_by_label("Date limite de candidature").fill("")
        page.get_by_label("Départements (codes INSEE séparés par des virgules)").fill("30, 999")
        page.get_by_role("button", name="Enregistrer et publier la correction").click()
        page.get_by_role("alert").wait_for()
    if name == "pratique-erreurs":
        page.get_by_text("Qualifier de pratique inspirante").click()
        page.get_by_label("Note éditoriale", exact=False).fill("Une note sans critère coché.")
        page.get_by_role("button", name="Enregistrer la pratique inspirante").click()
        page.get_by_role("alert").wait_for()
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.parametrize("name", list(EDITOR_PAGES))
def test_editor_pages_have_no_axe_violation_nor_scroll_at_320px(page_factory, server, name):
    page = _editor_page(page_factory, server, name)
    assert page.locator("form.correction" if name != "a-la-une" else "h1").first.is_visible()
    assert axe_violations(page, {"type": "tag", "values": WCAG_AA}) == []
    assert axe_violations(page, {"type": "rule", "values": STRUCTURE}) == []
    narrow = _editor_page(page_factory, server, name, 320)
    overflow = narrow.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"la page déborde de {overflow} px à 320 px"


# What axe does not check: the colours a link or button takes under the keyboard focus and the
# mouse, and whether the focus is drawn. Computed in the page from the styles in effect.
CONTRAST_JS = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")


def _problems(state: str, seen: dict) -> list[str]:
    needed = 3.0 if seen["large"] else 4.5
    problems = []
    if seen["text"] < needed:
        problems.append(f"{state} {seen['what']} : contraste du texte {seen['text']:.2f}:1 < {needed}:1")
    if state == "focus" and not seen["drawn"]:
        problems.append(f"focus {seen['what']} : le focus n'est pas dessiné")
    if state == "focus" and seen["outline"] is not None and seen["outline"] < 3:
        problems.append(f"focus {seen['what']} : contour {seen['outline']:.2f}:1 < 3:1")
    return problems


@pytest.mark.parametrize("name", ["accueil", "ressources-facette", "ressource", "recherche", "carte", "connexion"])
def test_focus_and_hover_keep_contrast_and_show_the_focus(page_factory, server, name):
    page = page_factory()
    page.goto(server + PAGES[name])
    page.wait_for_load_state("networkidle")
    problems = _focus_and_hover_problems(page)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name", ["ressource-editeur", "correction-erreurs"])
def test_editor_pages_keep_contrast_under_focus_and_hover(page_factory, server, name):
    problems = _focus_and_hover_problems(_editor_page(page_factory, server, name))
    assert problems == [], "\n".join(problems)


def _focus_and_hover_problems(page) -> list[str]:
    problems = []
    for _ in range(40):  # the first 40 stops of the keyboard
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("document.activeElement")
        if page.evaluate("(el) => el === document.body", focused):
            break
        problems += _problems("focus", page.evaluate(CONTRAST_JS, focused))
    links = page.locator("main a:visible, header a:visible, main input[type=submit]:visible")
    for index in range(min(links.count(), 25)):
        link = links.nth(index)
        link.hover()
        problems += _problems("survol", page.evaluate(CONTRAST_JS, link.element_handle()))
    return problems


@pytest.mark.parametrize("path", ["/glaneur/resources", "/glaneur/resources?type=formation",
                                  "/recherche?q=formation", "/glaneur/appels_ouverts?region="])
def test_first_result_within_ten_presses_of_tab(page_factory, server, path):
    """« Aller aux résultats » is among the first stops; Enter on it, then the next Tab is a result."""
    page = page_factory()
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    presses = 0
    while presses < 10:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.innerText") == "Aller aux résultats":
            page.keyboard.press("Enter")
            break
    for _ in range(10 - presses):
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("!!document.activeElement.closest('.cartes-ressources, table.rows-and-columns')"):
            break
    assert page.evaluate("!!document.activeElement.closest('.cartes-ressources, table.rows-and-columns')"), \
        f"premier résultat non atteint en {presses} appuis sur Tab"


@pytest.mark.parametrize("name", list(PAGES))
def test_no_horizontal_scroll_at_320px(page_factory, server, name):
    page = page_factory(320)
    page.goto(server + PAGES[name])
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"la page déborde de {overflow} px à 320 px"
    cut_anywhere = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => getComputedStyle(e).wordBreak === 'break-all'"
        " && e.innerText && e.innerText.trim()).map(e => e.innerText.trim().slice(0, 30))")
    assert cut_anywhere == [], f"libellés coupés au milieu d'un mot : {cut_anywhere[:5]}"


def test_map_markers_are_named_and_open_from_the_keyboard(page_factory, server):
    page = page_factory()
    page.goto(server + "/glaneur/evenements_carte?a_venir=1")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(".leaflet-marker-icon")
    page.wait_for_timeout(500)  # marker clusters settle after their animation
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Zoom avant"
    assert "Zoom in" not in page.content() and "Showing" not in page.inner_text("body")
    names = page.evaluate(
        "[...document.querySelectorAll('.leaflet-marker-icon')].map(m => m.getAttribute('aria-label'))")
    assert names and all(names), names  # every marker and cluster has a name
    marker = page.locator("img.leaflet-marker-icon[aria-label^='Formation des bénévoles']")
    if marker.count() == 0:  # grouped: open the clusters from the keyboard until it shows
        for _ in range(5):
            cluster = page.locator(".marker-cluster").first
            if cluster.count() == 0 or marker.count():
                break
            cluster.focus()
            page.keyboard.press("Enter")
            page.wait_for_timeout(700)
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Formation des bénévoles à la ramasse des invendus" in popup.inner_text()
    assert popup.locator("a[href='/glaneur/resources/test-formation']").count() == 1
    # Beyond 1,000 rows datasette-cluster-map writes its progress after the map, in English.
    progress = page.evaluate("""() => new Promise((done) => {
        const line = document.querySelector('.leaflet-container').nextElementSibling;
        line.textContent = 'Showing 1,000 of 2,500 (40%) ';
        setTimeout(() => done(line.textContent), 100);
    })""")
    assert progress == "1,000 lieux affichés sur 2,500 (40%) "


ENGLISH = ("Sort ascending", "Sort descending", "Remove this filter", "Facet by", "Hide this column",
           "Show all columns", "Zoom in", "Zoom out", "Showing ", "load all", "Next page", "rows where")


@pytest.mark.parametrize("name", list(PAGES))
def test_no_english_control_left_in_the_page(page_factory, server, name):
    page = page_factory()
    page.goto(server + PAGES[name])
    page.wait_for_load_state("networkidle")
    if name == "carte":
        page.wait_for_selector(".leaflet-control-zoom-in")
    html = page.content()
    assert [word for word in ENGLISH if word in html] == []


# RGAA 6.1: a link's name says where it goes, alone (screen readers list links out of context).
GENERIC_LINKS = ("ici", "cliquez ici", "en savoir plus", "lire la suite", "lien", "plus", "suite", "voir", "→",
                 "»", "...", "…")


@pytest.mark.parametrize("name", list(PAGES))
def test_links_explicit_ids_unique_and_no_timer(page_factory, server, name):
    """RGAA 6.1 and 6.2 (every link named, none generic alone), 8.2 (an id names one element) and
    13.1 (no refresh or redirect on a timer), on one load of each page."""
    page = page_factory()
    page.goto(server + PAGES[name])
    page.wait_for_load_state("networkidle")
    names = page.evaluate(
        "[...document.querySelectorAll('a[href]')].filter(a => a.getClientRects().length)"
        ".map(a => (a.getAttribute('aria-label') || a.innerText || a.title"
        " || [...a.querySelectorAll('img[alt]')].map(i => i.alt).join(' ')).trim())")
    assert "" not in names, "lien sans nom"
    vague = [n for n in names if n.lower().strip(" .:") in GENERIC_LINKS]
    assert vague == [], f"liens sans intitulé explicite : {vague[:5]}"
    assert page.locator("meta[http-equiv=refresh i]").count() == 0
    duplicates = page.evaluate(
        "(() => { const seen = {};"
        " for (const e of document.querySelectorAll('[id]')) seen[e.id] = (seen[e.id] || 0) + 1;"
        " return Object.keys(seen).filter(k => seen[k] > 1); })()")
    assert duplicates == []


# RGAA 10.12 (WCAG 1.4.12): the text spacing a reader may impose loses no content.
SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
           " p { margin-bottom: 2em !important; }")


@pytest.mark.parametrize("name", ["accueil", "recherche", "ressources-facette", "ressource", "requete",
                                  "etat-des-sources", "abonnement", "connexion", "accessibilite"])
def test_text_spacing_loses_nothing(page_factory, server, name):
    page = page_factory(1024)
    page.goto(server + PAGES[name])
    page.wait_for_load_state("networkidle")
    page.add_style_tag(content=SPACING)
    clipped = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => {"
        " const s = getComputedStyle(e); if (!e.innerText || !e.innerText.trim()) return false;"
        " const hides = v => v === 'hidden' || v === 'clip';"
        " return (hides(s.overflowX) && e.scrollWidth > e.clientWidth + 2)"
        "     || (hides(s.overflowY) && e.scrollHeight > e.clientHeight + 2); })"
        ".filter(e => !e.closest('.pot-de-miel, .visually-hidden, .skip-links, .leaflet-container'))"
        ".map(e => e.tagName + '.' + e.className + ' : ' + e.innerText.trim().slice(0, 40))")
    assert clipped == [], f"texte coupé avec l'espacement agrandi : {clipped[:5]}"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
