# ruff: noqa: E501  (a data file: one labelled example per line reads best)
"""Regenerate pairs.jsonl, the labelled set of the dedup quality gate (deterministic).

Positives: one resource as its publisher titles it and as a relay retitles it (prefixes, site
suffixes, accents dropped, reordered clauses, small rewordings). Hard negatives: yearly editions,
numbered series, one generic title from two organisations, an event and its report, one call
for projects in two territories. Run: .venv/bin/python tests/dedup/make_pairs.py
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

OUT = Path(__file__).with_name("pairs.jsonl")

# (title, type hint, publisher source, publisher organisation, published, extra fields)
BASE = [
    ("Les épiceries solidaires face à l'inflation alimentaire : enquête dans trois départements d'Occitanie", "etude", "hal", "Université de Montpellier", "2026-06-01", {}),
    ("Vers une sécurité sociale de l'alimentation ? Expérimentations locales et démocratie alimentaire", "etude", "hal", "INRAE", "2025-11-15", {}),
    ("Aide alimentaire et non-recours : une revue de littérature", "etude", "hal", "CNRS", "2025-03-10", {}),
    ("Lancement du deuxième cycle de travail du Cocolupa", "actualite", "dgcs-solidarites", "DGCS", "2024-09-25", {}),
    ("Lancement du programme Mieux manger pour tous", "actualite", "dgcs-solidarites", "DGCS", "2026-10-02", {}),
    ("Appel à projets national 2027 : lutte contre la précarité alimentaire", "appel_a_projets", "dgcs-solidarites", "DGCS", "2026-11-05", {"deadline": "2027-01-31"}),
    ("Alim'Activ Formation : renforcer la coordination dans la lutte contre la précarité alimentaire à l'échelle des territoires", "formation", "ansa", "Ansa", "2021-03-15", {}),
    ("Renforcer les coopérations pour lutter contre la précarité alimentaire : rencontre régionale à Narbonne", "evenement", "ansa", "Ansa", "2025-10-01", {"event_start": "2025-11-18"}),
    ("Le guide pratique des épiceries sociales", "outil", "banques-alimentaires", "Banques Alimentaires", "2022-06-14", {}),
    ("Étude Profils 2023 : qui sont les personnes accueillies à l'aide alimentaire ?", "etude", "banques-alimentaires", "Banques Alimentaires", "2023-11-21", {}),
    ("Appel à projets Mieux Manger Pour Tous 2027 – volet local Occitanie", "appel_a_projets", "aides-territoires", "DREETS Occitanie", "2026-11-02", {"deadline": "2027-02-15"}),
    ("Soutien aux projets alimentaires territoriaux (PAT) opérationnels", "appel_a_projets", "aides-territoires", "Ministère de l'Agriculture", "2026-07-08", {"deadline": "2026-09-30"}),
    ("Fonds de soutien aux épiceries solidaires", "appel_a_projets", "aides-territoires", "Fondation Carasso", "2025-05-12", {}),
    ("Thèse : la coordination territoriale de l'aide alimentaire dans les projets alimentaires territoriaux", "etude", "hal", "Université Lyon 2", "2024-12-05", {}),
    ("Guide : construire le volet social de son PAT", "outil", "france-pat", "RnPAT", "2026-09-20", {}),
    ("Webinaire RnPAT : l'accessibilité alimentaire dans les PAT", "evenement", "france-pat", "RnPAT", "2026-11-12", {"event_start": "2026-12-04"}),
    ("Visite apprenante : les paniers solidaires du Jardin de Cocagne de Thaon-les-Vosges", "evenement", "reseau-cocagne", "Réseau Cocagne", "2026-11-09", {"event_start": "2026-12-10"}),
    ("Appel à projets Paniers solidaires 2027 : la Fondation Carasso soutient les Jardins", "appel_a_projets", "reseau-cocagne", "Réseau Cocagne", "2026-11-03", {"deadline": "2027-01-15"}),
    ("Précalim : une formation pour lutter contre la précarité alimentaire dans le Morbihan", "formation", "ansa", "Ansa", "2026-10-20", {}),
    ("Baromètre de la pauvreté et de la précarité Ipsos / Secours populaire 2025", "barometre", "secours-populaire", "Secours populaire", "2025-09-10", {}),
    ("Les chèques alimentaires : évaluation de l'expérimentation dans quatre territoires", "etude", "dgcs-solidarites", "DGCS", "2025-06-18", {}),
    ("Observatoire de l'aide alimentaire : les chiffres clés de la distribution en Bretagne", "etude", "credoc", "Crédoc", "2024-04-02", {}),
    ("Kit de la participation des personnes concernées dans l'aide alimentaire", "outil", "fap", "Fédération des acteurs de la solidarité", "2023-02-08", {}),
    ("Quelle place pour les producteurs locaux dans l'approvisionnement de l'aide alimentaire ?", "etude", "terres-de-liens", "Terre de Liens", "2024-10-15", {}),
    ("Mutualiser la logistique : une plateforme départementale pour les associations d'aide alimentaire", "bonne_pratique", "ansa", "Ansa", "2025-01-22", {}),
    ("Rencontre nationale des épiceries solidaires à Lyon", "evenement", "andes", "ANDES", "2026-03-02", {"event_start": "2026-05-20"}),
    ("Appel à manifestation d'intérêt : alimentation durable et solidaire en Île-de-France", "appel_a_projets", "aides-territoires", "Région Île-de-France", "2026-01-12", {"deadline": "2026-03-31"}),
    ("Lutte contre le gaspillage alimentaire : les dons des grandes surfaces aux associations", "etude", "ademe", "ADEME", "2024-07-03", {}),
    ("Enquête nationale sur les restaurants solidaires et les tiers-lieux alimentaires", "etude", "credoc", "Crédoc", "2025-12-01", {}),
    ("MOOC : accompagner les bénévoles de l'aide alimentaire vers l'écoute active", "formation", "croix-rouge", "Croix-Rouge française", "2026-02-14", {}),
    ("Le pouvoir d'agir des personnes en situation de précarité alimentaire : retours d'expérience", "bonne_pratique", "fap", "Fédération des acteurs de la solidarité", "2024-05-28", {}),
    ("Projets alimentaires territoriaux et justice sociale : cadre de référence", "outil", "france-pat", "RnPAT", "2025-04-09", {}),
    ("Santé et alimentation des personnes accueillies en centre d'hébergement : résultats de l'enquête", "etude", "santepubliquefrance", "Santé publique France", "2025-02-20", {}),
    ("Colis ou libre-service ? Comparer les modes de distribution de l'aide alimentaire", "etude", "credoc", "Crédoc", "2023-09-12", {}),
    ("Appel à projets Territoires à VivreS : démocratie alimentaire et accès digne", "appel_a_projets", "secours-catholique", "Secours Catholique", "2026-04-01", {"deadline": "2026-06-15"}),
    ("Journée d'échanges : coopérer entre associations et collectivités pour l'alimentation", "evenement", "ansa", "Ansa", "2026-09-01", {"event_start": "2026-10-08"}),
    ("Fiche pratique : organiser une ramasse des invendus en circuit court", "outil", "banques-alimentaires", "Banques Alimentaires", "2024-11-19", {}),
    ("Diagnostic territorial de la précarité alimentaire dans la métropole de Grenoble", "etude", "grenoble", "Grenoble-Alpes Métropole", "2025-07-07", {}),
    ("Formation des travailleurs sociaux à l'accompagnement alimentaire", "formation", "cnfpt", "CNFPT", "2026-01-30", {}),
    ("La sécurité sociale de l'alimentation expérimentée à Montpellier : premiers résultats", "etude", "hal", "CIRAD", "2026-05-05", {}),
]

# Relays: (source, organisation, how the title is rewritten)
RELAYS = [
    ("france-pat", "RnPAT"), ("reseau-cocagne", "Réseau Cocagne"), ("ansa", "Ansa"),
    ("banques-alimentaires", "Banques Alimentaires"), ("uniopss", "Uniopss"), ("fnars-idf", "FAS Île-de-France"),
]


def strip_accents(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def swap_clauses(title: str) -> str:
    if " : " in title:
        left, right = title.split(" : ", 1)
        return f"{right.rstrip(' ?')} : {left}"
    return title


VARIANTS = [
    ("prefix", lambda t, ty: {"etude": "Étude : ", "appel_a_projets": "Financement - ", "evenement": "Agenda : ",
                             "formation": "Formation : ", "outil": "Ressource : "}.get(ty, "À lire : ") + t),
    ("site_suffix", lambda t, ty: t + " | Réseau national"),
    ("no_accents_lower", lambda t, ty: strip_accents(t).lower()),
    ("swap_clauses", lambda t, ty: swap_clauses(t)),
    ("quotes", lambda t, ty: t.replace("'", "’").replace(" : ", " – ")),
    ("drop_word", lambda t, ty: t.replace(" la ", " ").replace(" les ", " ").replace(" des ", " de ")),
    ("typo", lambda t, ty: t.replace("alimentaire", "alimentaie", 1) if "alimentaire" in t else t[:-2] + t[-1]),
]


def doc(source, org, title, published, kind="page", url=None, type_hint=None, **fields):
    out = {"source": source, "organisation": org, "title": title, "published": published, "kind": kind}
    if url:
        out["url"] = url
    if type_hint:
        out["type_hint"] = type_hint
    out.update({k: v for k, v in fields.items() if v})
    return out


def shift(day: str, days: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def positives() -> list[dict]:
    pairs = []
    for n, (title, ty, src, org, pub, extra) in enumerate(BASE):
        for k in range(3):
            vname, fn = VARIANTS[(n + 2 * k) % len(VARIANTS)]
            relay_src, relay_org = RELAYS[(n + k) % len(RELAYS)]
            if relay_src == src:
                relay_src, relay_org = RELAYS[(n + k + 1) % len(RELAYS)]
            relay_type = "actualite" if k == 1 else ty
            pairs.append({
                "label": "same", "category": f"relais:{vname}",
                "a": doc(src, org, title, pub, type_hint=ty, **extra),
                "b": doc(relay_src, relay_org, fn(title, ty), shift(pub, (n * 3 + k * 5) % 20),
                         type_hint=relay_type, organisations=[org] if k == 2 else None, **extra),
            })
    return pairs


SERIES = [  # (title template, type, source, org, first year)
    ("Baromètre de la pauvreté et de la précarité Ipsos / Secours populaire {y}", "barometre", "secours-populaire", "Secours populaire", 2021),
    ("Rapport annuel de l'aide alimentaire des Banques Alimentaires {y}", "etude", "banques-alimentaires", "Banques Alimentaires", 2021),
    ("Appel à projets Mieux Manger Pour Tous {y} – volet local Occitanie", "appel_a_projets", "aides-territoires", "DREETS Occitanie", 2024),
    ("Étude Profils {y} : qui sont les personnes accueillies à l'aide alimentaire ?", "etude", "banques-alimentaires", "Banques Alimentaires", 2019),
    ("État de la pauvreté en France {y}", "barometre", "secours-catholique", "Secours Catholique", 2021),
    ("Rencontres nationales des PAT {y}", "evenement", "france-pat", "RnPAT", 2023),
    ("Appel à projets Paniers solidaires {y} : la Fondation Carasso soutient les Jardins", "appel_a_projets", "reseau-cocagne", "Réseau Cocagne", 2024),
    ("Enquête annuelle sur les épiceries solidaires {y}", "barometre", "andes", "ANDES", 2022),
]
NUMBERED = [
    ("{n}e baromètre Ipsos / Secours populaire de la pauvreté", "barometre", "secours-populaire", "Secours populaire", 17),
    ("{n}e édition des Rencontres de l'alimentation solidaire", "evenement", "ansa", "Ansa", 3),
    ("Lettre d'information n° {n} du réseau des épiceries solidaires", "actualite", "andes", "ANDES", 41),
    ("{n}e rapport sur l'état du mal-logement et de l'alimentation", "etude", "fap", "Fondation pour le logement", 29),
]
GENERIC = ["Rapport d'activité", "Rapport d'activité 2024", "Lettre d'information", "Agenda", "Nos actualités",
           "Appel à projets", "Offre d'emploi : chargé de mission", "Assemblée générale", "Édito", "Webinaire", "Communiqué de presse", "Bilan annuel"]
EVENTS = [  # (event title, recap title, type, source, org, date)
    ("Webinaire : l'accessibilité alimentaire dans les PAT", "Retour sur le webinaire : l'accessibilité alimentaire dans les PAT", "france-pat", "RnPAT", "2026-11-12"),
    ("Webinaire GT Plateformes Aide Alim", "GT Plateformes Aide Alim : bilan du webinaire", "reseau-cocagne", "Réseau Cocagne", "2024-10-01"),
    ("Rencontre régionale à Narbonne : renforcer les coopérations contre la précarité alimentaire", "Rencontre régionale à Narbonne : compte rendu des échanges sur les coopérations contre la précarité alimentaire", "ansa", "Ansa", "2025-10-01"),
    ("Colloque national sur la sécurité sociale de l'alimentation", "Actes du colloque national sur la sécurité sociale de l'alimentation", "secours-catholique", "Secours Catholique", "2025-05-10"),
    ("Journée régionale de l'aide alimentaire en Bretagne", "Journée régionale de l'aide alimentaire en Bretagne : le replay", "fap", "FAS Bretagne", "2025-06-12"),
    ("Webinaire : mobiliser les producteurs locaux pour l'aide alimentaire", "Synthèse du webinaire : mobiliser les producteurs locaux pour l'aide alimentaire", "terres-de-liens", "Terre de Liens", "2024-03-14"),
    ("Séminaire Cocolupa : coopérer autour de la lutte contre la précarité alimentaire", "Bilan du séminaire Cocolupa : coopérer autour de la lutte contre la précarité alimentaire", "dgcs-solidarites", "DGCS", "2025-02-03"),
    ("Visite apprenante au Jardin de Cocagne de Thaon-les-Vosges", "Retour sur la visite apprenante au Jardin de Cocagne de Thaon-les-Vosges", "reseau-cocagne", "Réseau Cocagne", "2026-12-10"),
    ("Atelier participatif : cuisiner avec les invendus", "Restitution de l'atelier participatif : cuisiner avec les invendus", "banques-alimentaires", "Banques Alimentaires", "2025-04-04"),
    ("Conférence : précarité alimentaire des étudiants", "Revivez la conférence : précarité alimentaire des étudiants", "cop1", "Cop1", "2025-11-20"),
]
TERRITORIES = [  # same call, two territories or departments: different resources
    ("Appel à projets Mieux Manger Pour Tous 2027 – volet local {t}", ["Occitanie", "Bretagne", "Normandie", "Grand Est", "Corse"], "2026-11-02"),
    ("Appel à projets départemental lutte contre la précarité alimentaire – {t}", ["Gard (30)", "Hérault (34)", "Aude (11)", "Lozère (48)", "Gers (32)"], "2026-10-15"),
]
DEADLINES = [  # the same title without a year, successive deadlines: successive editions
    ("Appel à projets Alimentation solidaire de la Fondation de France", "2025-03-15", "2026-03-14"),
    ("Fonds de soutien aux épiceries solidaires", "2025-06-30", "2026-06-30"),
    ("Prix de l'initiative solidaire contre le gaspillage alimentaire", "2024-09-30", "2025-09-30"),
]


def hard_negatives() -> list[dict]:
    pairs = []
    for tpl, ty, src, org, y in SERIES:
        for k in range(4):
            a, b = y + k, y + k + 1
            relay = RELAYS[k % len(RELAYS)]
            second = (src, org) if k != 1 else relay
            pairs.append({"label": "different", "category": "edition_annuelle",
                          "a": doc(src, org, tpl.format(y=a), f"{a}-09-15", type_hint=ty),
                          "b": doc(second[0], second[1], tpl.format(y=b), f"{b}-09-12", type_hint=ty,
                                   organisations=[org])})
    for tpl, ty, src, org, n in NUMBERED:
        for k in range(3):
            relay = RELAYS[(k + 2) % len(RELAYS)]
            second = (src, org) if k == 0 else relay
            pairs.append({"label": "different", "category": "serie_numerotee",
                          "a": doc(src, org, tpl.format(n=n + k), shift("2023-09-15", 30 * k), type_hint=ty),
                          "b": doc(second[0], second[1], tpl.format(n=n + k + 1), shift("2023-09-15", 30 * k + 20),
                                   type_hint=ty, organisations=[org])})
    orgs = [("banques-alimentaires", "Banques Alimentaires"), ("ansa", "Ansa"), ("andes", "ANDES"),
            ("reseau-cocagne", "Réseau Cocagne"), ("fap", "Fédération des acteurs de la solidarité")]
    for n, title in enumerate(GENERIC):
        (s1, o1), (s2, o2) = orgs[n % len(orgs)], orgs[(n + 2) % len(orgs)]
        pairs.append({"label": "different", "category": "titre_generique",
                      "a": doc(s1, o1, title, "2025-04-10"), "b": doc(s2, o2, title, "2025-04-16")})
    for ev, recap, src, org, day in EVENTS:
        pairs.append({"label": "different", "category": "evenement_et_bilan",
                      "a": doc(src, org, ev, shift(day, -30), type_hint="evenement", event_start=day),
                      "b": doc(src if len(ev) % 2 else "france-pat", org, recap, shift(day, 3))})
    for tpl, places, day in TERRITORIES:
        for k in range(len(places) - 1):
            pairs.append({"label": "different", "category": "territoires",
                          "a": doc("aides-territoires", "DREETS", tpl.format(t=places[k]), day, type_hint="appel_a_projets"),
                          "b": doc("dgcs-solidarites", "DREETS", tpl.format(t=places[k + 1]), shift(day, 2),
                                   type_hint="appel_a_projets")})
    for title, d1, d2 in DEADLINES:
        pairs.append({"label": "different", "category": "echeances",
                      "a": doc("aides-territoires", "Fondation", title, shift(d1, -60), type_hint="appel_a_projets", deadline=d1),
                      "b": doc("uniopss", "Uniopss", title, shift(d2, -50), type_hint="appel_a_projets", deadline=d2)})
    return pairs


def easy_negatives() -> list[dict]:
    pairs = []
    for n in range(0, len(BASE) - 1, 2):
        (t1, ty1, s1, o1, p1, _), (t2, ty2, _, _, p2, _) = BASE[n], BASE[n + 1]
        pairs.append({"label": "different", "category": "sans_rapport",
                      "a": doc(s1, o1, t1, p1, type_hint=ty1), "b": doc("uniopss", "Uniopss", t2, p2, type_hint=ty2)})
    return pairs


EXACT = [  # stages before the fuzzy one: URL variants, identical body, identical PDF
    ("https://www.solidarites.gouv.fr/lancement-du-programme-mieux-manger-pour-tous/?utm_source=rss", "https://solidarites.gouv.fr/lancement-du-programme-mieux-manger-pour-tous", "Mieux manger pour tous : le programme est lancé"),
    ("http://reseaucocagne.org/appel-a-projets-paniers-solidaires-2027/?xtor=RSS-3", "https://reseaucocagne.org/appel-a-projets-paniers-solidaires-2027/", "Paniers solidaires : l'appel à projets 2027"),
    ("https://amp.banquealimentaire.org/etudes-profils-2023", "https://www.banquealimentaire.org/etudes-profils-2023/amp/", "Profils 2023 : les chiffres"),
    ("https://france-pat.fr/2026/09/20/guide-volet-social-pat/#commentaires", "https://france-pat.fr/2026/09/20/guide-volet-social-pat/index.html", "Volet social des PAT : le guide"),
]


def exact() -> list[dict]:
    pairs = []
    for n, (u1, u2, relay_title) in enumerate(EXACT):
        pairs.append({"label": "same", "category": "url",
                      "a": doc("dgcs-solidarites", "DGCS", BASE[n][0], BASE[n][4], url=u2),
                      "b": doc("uniopss", "Uniopss", relay_title, shift(BASE[n][4], 40), url=u1)})
    for n in range(4, 8):
        pairs.append({"label": "same", "category": "content_hash",
                      "a": doc(BASE[n][2], BASE[n][3], BASE[n][0], BASE[n][4], content_hash=f"body{n}", text_length=1500),
                      "b": doc("uniopss", "Uniopss", BASE[n][0] + " (republication)", shift(BASE[n][4], 200),
                               content_hash=f"body{n}", text_length=1500)})
        pairs.append({"label": "same", "category": "pdf_hash",
                      "a": doc(BASE[n][2], BASE[n][3], "rapport-final.pdf", BASE[n][4], kind="pdf", content_hash=f"pdf{n}"),
                      "b": doc("fap", "FAS", BASE[n][0], BASE[n][4], kind="pdf", content_hash=f"pdf{n}")})
    return pairs


def main() -> None:
    pairs = positives() + exact() + hard_negatives() + easy_negatives()
    with OUT.open("w", encoding="utf-8") as f:
        for n, pair in enumerate(pairs, 1):
            f.write(json.dumps({"id": f"p{n:03d}", **pair}, ensure_ascii=False) + "\n")
    hard = sum(p["category"] not in ("sans_rapport",) and p["label"] == "different" for p in pairs)
    print(f"{len(pairs)} paires ({sum(p['label'] == 'same' for p in pairs)} doublons, {hard} négatifs difficiles)")


if __name__ == "__main__":
    main()
