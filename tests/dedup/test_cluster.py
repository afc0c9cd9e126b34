"""Clustering stage by stage, on records built as the build builds them."""

from __future__ import annotations

import random

import pytest

from dedup import Decisions, DedupOptions, cluster_records, make_record
from dedup.match import confirm


def rec(doc_id, source, title, url=None, kind="page", published="2026-10-01", parent_url=None,
        content_hash=None, text="", type_="actualite", organisations=None, **dates):
    doc = {"id": doc_id, "source_id": source, "url": url or f"https://{source}.example/{doc_id}", "kind": kind,
           "parent_url": parent_url, "content_hash": content_hash or f"h-{doc_id}", "text": text}
    fields = {"title": title, "type": type_, "published": published,
              "organisations": organisations or [source.upper()], **dates}
    return make_record(doc, fields)


def groups(records, **kwargs):
    return sorted(sorted(m.record.id for m in c.members) for c in cluster_records(records, **kwargs))


def stage_of(records, doc_id, **kwargs):
    for c in cluster_records(records, **kwargs):
        for m in c.members:
            if m.record.id == doc_id:
                return m.stage, m.score
    raise KeyError(doc_id)


def test_every_stage_is_recorded():
    records = [
        rec("a", "dgcs", "Lancement du programme Mieux manger pour tous", url="https://gouv.fr/mmpt"),
        rec("b", "pat", "Mieux manger : le programme", url="https://www.gouv.fr/mmpt/?utm_source=rss"),
        rec("c", "dgcs", "guide.pdf", kind="pdf", url="https://gouv.fr/guide.pdf", parent_url="https://gouv.fr/mmpt"),
        rec("d", "uniopss", "Guide MMPT", kind="pdf", url="https://uniopss.fr/g.pdf", content_hash="h-c"),
        rec("e", "ansa", "Autre titre", text="x" * 500, content_hash="body"),
        rec("f", "cocagne", "Encore un autre", text="x" * 500, content_hash="body"),
        rec("g", "france-pat", "Lancement du programme « Mieux manger pour tous »", published="2026-10-05"),
    ]
    assert groups(records) == [["a", "b", "c", "d", "g"], ["e", "f"]]
    assert stage_of(records, "b")[0] == "url"
    assert stage_of(records, "c")[0] == "pdf_parent"
    assert stage_of(records, "d")[0] == "pdf_hash"
    assert stage_of(records, "f")[0] == "content_hash"
    stage, score = stage_of(records, "g")
    assert stage == "title" and 0.9 < score <= 1.0


def test_hash_of_an_empty_body_merges_nothing():
    records = [rec(str(n), f"s{n}", "Actualités", content_hash="same", text="") for n in range(5)]
    assert len(cluster_records(records)) == 5


BAROMETER = "baromètre de la pauvreté Ipsos / Secours populaire"
WEBINAR = "le webinaire : l'accessibilité alimentaire dans les PAT"
CALL = "Appel à projets Mieux Manger Pour Tous 2027 – volet"


@pytest.mark.parametrize("a, b", [
    (f"{BAROMETER} 2023", f"{BAROMETER} 2024"),
    (f"17e {BAROMETER}", f"18e {BAROMETER}"),
    (WEBINAR.removeprefix("le "), f"Retour sur {WEBINAR}"),
    ("Webinaire GT Plateformes Aide Alim", "GT Plateformes Aide Alim : bilan du webinaire"),
    (f"{CALL} Occitanie", f"{CALL} Bretagne"),
    ("Rapport d'activité", "Rapport d'activité"),
])
def test_hard_negatives_stay_apart(a, b):
    assert len(cluster_records([rec("a", "s1", a), rec("b", "s2", b)])) == 2


def test_relays_with_rewritten_titles_merge():
    title = "Les épiceries solidaires face à l'inflation alimentaire : enquête dans trois départements"
    variants = ["Étude : " + title, title.lower(), title.replace("'", "’") + " | Réseau",
                "enquête dans trois départements : Les épiceries solidaires face à l'inflation alimentaire"]
    records = [rec("orig", "hal", title, type_="etude")]
    records += [rec(f"v{n}", f"relay{n}", v, published="2026-10-10") for n, v in enumerate(variants)]
    assert len(cluster_records(records)) == 1


def test_confirmation_reasons():
    opts = DedupOptions()
    call = "Appel à projets alimentation solidaire en Bretagne"
    a = rec("a", "s1", call, type_="appel_a_projets", deadline="2026-03-01")
    b = rec("b", "s2", call, type_="appel_a_projets", deadline="2027-03-01")
    assert confirm(a, b, 100, opts) == "dates limites différentes"
    c = rec("c", "s1", "Étude sur les épiceries solidaires du Gard", type_="etude")
    d = rec("d", "s2", "Étude sur les épiceries solidaires du Gard", type_="evenement")
    assert confirm(c, d, 100, opts) == "types incompatibles"
    e = rec("e", "s2", "Étude sur les épiceries solidaires du Gard", published="2020-01-01")
    assert confirm(c, e, 100, opts) == "publications trop éloignées"
    assert confirm(c, rec("f", "s1", "Étude sur les épiceries solidaires du Gard"), 100, opts) == "même source"


def test_a_chain_of_close_titles_does_not_glue_editions():
    """b is close to a and to c, but a and c are editions: complete linkage keeps a and c apart."""
    records = [
        rec("a", "s1", "Enquête nationale sur les restaurants solidaires 2024", published="2025-01-10"),
        rec("b", "s2", "Enquête nationale sur les restaurants solidaires", published="2025-02-10"),
        rec("c", "s3", "Enquête nationale sur les restaurants solidaires 2025", published="2025-03-01"),
    ]
    assert all(len(g) < 3 for g in groups(records))


def test_one_source_never_merges_with_itself_by_title():
    records = [rec(str(n), "site", "Nos actualités de la semaine sur l'aide alimentaire") for n in range(4)]
    assert len(cluster_records(records)) == 4


def test_listing_page_does_not_swallow_its_pdfs():
    page = rec("page", "s", "Publications", url="https://s.fr/publications")
    pdfs = [rec(f"p{n}", "s", f"Rapport {n}.pdf", kind="pdf", url=f"https://s.fr/{n}.pdf",
                parent_url="https://s.fr/publications") for n in range(5)]
    assert len(cluster_records([page, *pdfs])) == 6


def test_editors_decisions_win():
    a = rec("a", "dgcs", "Lancement du programme", url="https://gouv.fr/p")
    b = rec("b", "pat", "Relais", url="https://gouv.fr/p?utm_source=x")
    c = rec("c", "ansa", "Tout autre chose")
    split = Decisions(splits=frozenset({frozenset({"a", "b"})}))
    assert groups([a, b, c], decisions=split) == [["a"], ["b"], ["c"]]
    merge = Decisions(merges=(("a", "c"),))
    assert groups([a, b, c], decisions=merge) == [["a", "b", "c"]]
    assert stage_of([a, b, c], "c", decisions=merge)[0] == "manual"


def test_input_order_does_not_matter():
    records = [rec(f"d{n}", f"s{n % 4}", f"Épiceries solidaires et inflation alimentaire numéro {n % 3}",
                   published=f"2026-10-{1 + n % 20:02d}") for n in range(40)]
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    assert groups(records) == groups(shuffled)


def test_bad_input_does_not_crash():
    records = [rec("e", "s1", ""), rec("f", "s2", ""), rec("g", "s1", "X"), rec("h", "s2", "X"),
               rec("i", "s3", "Webinaire", published=None), rec("j", "s4", "Webinaire", published=None)]
    assert len(cluster_records(records)) == 6
