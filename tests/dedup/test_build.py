"""The build on real SQLite files: stable ids, identical re-runs, series, decisions, bad input."""

from __future__ import annotations

import json

from glaneur.cli_dedup import record_decision
from tests.dedup.builddb import make_doc

STUDY = "Les épiceries solidaires face à l'inflation alimentaire : enquête dans trois départements"


def seed(demo):
    demo.add(
        make_doc("d1", "dgcs", "Lancement du programme Mieux manger pour tous",
                 url="https://solidarites.gouv.fr/mmpt", text="Le programme " * 40),
        make_doc("d2", "dgcs", "Guide du programme", kind="pdf", url="https://solidarites.gouv.fr/guide.pdf",
                 parent_url="https://solidarites.gouv.fr/mmpt"),
        make_doc("d3", "france-pat", "Mieux manger pour tous : le programme est lancé",
                 url="https://www.solidarites.gouv.fr/mmpt/?utm_source=rss"),
        make_doc("d4", "banques", STUDY, published="2026-06-01", type_hint="etude", text="Enquête " * 100),
        *[make_doc(f"b{y}", "secours-populaire", f"Baromètre de la pauvreté Ipsos / Secours populaire {y}",
                   published=f"{y}-09-10", type_hint="barometre") for y in (2023, 2024, 2025)],
    )


def test_rebuild_gives_identical_tables(demo):
    seed(demo)
    demo.build()
    first = demo.dump()
    demo.build()
    assert demo.dump() == first


def test_a_new_relay_joins_and_the_id_is_kept(demo):
    seed(demo)
    demo.build()
    rid = demo.resource_of("d4")
    demo.add(make_doc("d5", "cocagne", "Étude : " + STUDY.replace("'", "’"), published="2026-06-12"))
    report = demo.build()
    assert demo.resource_of("d5") == rid
    row = demo.db["resources"].get(rid)
    assert row["source_count"] == 2 and row["title"] == STUDY
    link = demo.db.execute("select role, match_stage, score from resource_sources where document_id = 'd5'").fetchone()
    assert link[0] == "relais" and link[1] == "title" and link[2] > 0.9
    assert report.documents == 8 and report.merged == 3  # d2, d3 (page), d5 (title)


def test_every_source_is_listed_with_its_stage(demo):
    seed(demo)
    demo.build()
    rid = demo.resource_of("d1")
    links = {r["document_id"]: r for r in demo.db.query(
        "select * from resource_sources where resource_id = ?", [rid])}
    assert {k: (v["role"], v["match_stage"]) for k, v in links.items()} == {
        "d1": ("principale", "first"), "d2": ("pdf", "pdf_parent"), "d3": ("relais", "url")}
    assert demo.db["resources"].get(rid)["title"] == "Lancement du programme Mieux manger pour tous"


def test_series_columns(demo):
    seed(demo)
    demo.build()
    rows = {r["id"]: r for r in demo.db.query("select * from resources where series_id is not null")}
    assert len(rows) == 3
    by_edition = {r["edition"]: r for r in rows.values()}
    assert [by_edition[y]["is_latest_edition"] for y in (2023, 2024, 2025)] == [0, 0, 1]
    assert by_edition[2024]["previous_edition_id"] == by_edition[2023]["id"]
    assert by_edition[2024]["next_edition_id"] == by_edition[2025]["id"]
    (series,) = demo.db["series"].rows
    assert series["editions"] == 3 and series["latest_resource_id"] == by_edition[2025]["id"]
    assert series["title"] == "Baromètre de la pauvreté Ipsos / Secours populaire"
    alone = demo.db["resources"].get(demo.resource_of("d4"))
    assert alone["series_id"] is None and alone["is_latest_edition"] == 1


def test_decisions_survive_every_rebuild_and_merged_ids_become_aliases(demo):
    seed(demo)
    demo.build()
    page, study = demo.resource_of("d1"), demo.resource_of("d4")
    record_decision(demo.db, "split", page, "d3", "Camille")  # a resource id resolves to its principal doc
    demo.build()
    assert demo.resource_of("d3") != page and demo.resource_of("d1") == page
    record_decision(demo.db, "merge", "d4", "b2025", "Camille")
    demo.build()
    demo.build()
    assert demo.resource_of("d3") != page
    assert demo.resource_of("b2025") == demo.resource_of("d4")
    merged = demo.resource_of("d4")
    lost = ({study, demo.db.execute("select resource_id from resource_keys where key='doc:b2025'").fetchone()[0]}
            - {merged})
    aliases = {r["alias"]: r["resource_id"] for r in demo.db["resource_aliases"].rows}
    assert all(aliases.get(old) == merged for old in lost if old != merged)
    decisions = list(demo.db.query("select action, author, created from dedup_decisions"))
    assert [d["action"] for d in decisions] == ["split", "merge"] and decisions[0]["author"] == "Camille"


def test_five_hundred_section_pages_stay_five_hundred(demo):
    demo.add(*[make_doc(f"a{n:03d}", list(demo_sources())[n % 3], "Actualités", published=None,
                        url=f"https://site{n % 3}.example/actualites?page={n}") for n in range(500)])
    report = demo.build()
    assert report.resources == 500


def demo_sources():
    from tests.dedup.builddb import SOURCES

    return SOURCES


def test_bad_titles_and_missing_dates(demo):
    demo.add(make_doc("e1", "dgcs", "", published=None), make_doc("e2", "ansa", "", published=None),
             make_doc("e3", "dgcs", "PAT", published=None), make_doc("e4", "ansa", "PAT", published=None),
             make_doc("e5", "cocagne", "Rapport d'activité", published=None),
             make_doc("e6", "banques", "Rapport d'activité", published=None))
    assert demo.build().resources == 6
    assert all(json.loads(r["organisations"]) for r in demo.db["resources"].rows)


def test_the_publisher_gives_the_fields_even_when_a_relay_is_richer(demo):
    title = "Guide pratique de la ramasse des invendus en circuit court pour les associations"
    demo.add(make_doc("own", "banques", title, published="2026-09-01", type_hint="outil",
                      organisations=["Banques Alimentaires"]),
             make_doc("rel", "uniopss", "À lire : " + title, published="2026-09-03", text="Long relais. " * 200))
    demo.build()
    rid = demo.resource_of("own")
    assert demo.resource_of("rel") == rid
    assert demo.db["resources"].get(rid)["title"] == title
    roles = dict(demo.db.execute("select document_id, role from resource_sources where resource_id = ?", [rid]))
    assert roles == {"own": "principale", "rel": "relais"}


def test_without_credit_the_richest_document_wins(demo):
    title = "Guide pratique de la ramasse des invendus en circuit court pour les associations"
    demo.add(make_doc("short", "ansa", title, published="2026-09-01"),
             make_doc("long", "uniopss", title + " | Uniopss", published="2026-09-03", text="Texte. " * 200))
    demo.build()
    roles = dict(demo.db.execute("select document_id, role from resource_sources"))
    assert roles == {"short": "relais", "long": "principale"}
