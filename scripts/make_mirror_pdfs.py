"""Regenerate the SYNTHETIC PDF fixtures of the offline mirror (fpdf2, a test dependency).

Real PDFs of the partners are not redistributable here; these stand in for them with the same
kind of content (title page, metadata, several pages) and say that they are synthetic.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fpdf import FPDF

MIRROR = Path(__file__).resolve().parent.parent / "data" / "mirror"

PDFS = {
    "solidarites.gouv.fr/guide-mieux-manger-pour-tous-2027.pdf": (
        "Guide du programme Mieux Manger Pour Tous 2027",
        datetime(2026, 10, 1),
        [
            "Guide du programme Mieux Manger Pour Tous 2027",
            "Document synthétique du miroir hors ligne de Glaneur.",
            "Ce guide présente l'enveloppe locale du programme, les dépenses éligibles (achats de "
            "produits frais auprès de producteurs locaux, épiceries solidaires, coordination "
            "territoriale) et le calendrier : dépôt des projets avant le 15 mars 2027.",
        ],
    ),
    "www.banquealimentaire.org/etude-profils-2023.pdf": (
        "Étude Profils 2023 : qui sont les personnes accueillies à l'aide alimentaire ?",
        datetime(2023, 11, 20),
        [
            "Étude Profils 2023",
            "Qui sont les personnes accueillies à l'aide alimentaire ?",
            "Document synthétique du miroir hors ligne de Glaneur, modelé sur l'étude menée par la "
            "Fédération française des Banques Alimentaires avec l'Institut CSA.",
            "Méthodologie : enquête par questionnaire auprès de 2 500 personnes accueillies dans "
            "les associations partenaires, réparties dans 70 départements.",
            "Principaux résultats : 65 % des personnes accueillies sont des femmes ; la part des "
            "familles monoparentales progresse ; le reste à vivre médian est de 7 euros par jour.",
        ],
    ),
    "www.restosducoeur.org/etude-personnes-accueillies-2026.pdf": (
        "Étude sur les personnes accueillies à l'aide alimentaire - édition 2026",
        datetime(2026, 10, 8),
        [
            "Étude sur les personnes accueillies à l'aide alimentaire - édition 2026",
            "Document synthétique du miroir hors ligne de Glaneur, modelé sur les études de "
            "l'Observatoire des Restos du Coeur.",
            "Méthodologie : questionnaire administré dans 300 centres pendant la campagne d'hiver "
            "2025-2026 ; 4 100 personnes interrogées.",
            "Principaux résultats : la part des étudiants et des travailleurs pauvres progresse ; "
            "un tiers des personnes accueillies vient pour la première fois.",
        ],
    ),
    "www.restosducoeur.org/etude-utilite-sociale-aide-alimentaire.pdf": (
        "Étude sur l'utilité sociale de l'aide alimentaire",
        datetime(2023, 7, 5),
        [
            "Étude sur l'utilité sociale de l'aide alimentaire",
            "Document synthétique du miroir hors ligne de Glaneur, modelé sur les études de "
            "l'Observatoire des Restos du Coeur.",
            "L'aide alimentaire apporte davantage que des repas : lien social, accès aux droits, "
            "accompagnement vers l'emploi et le logement.",
        ],
    ),
}


def make_pdf(title: str, created: datetime, paragraphs: list[str]) -> bytes:
    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_creation_date(created)
    pdf.set_author("Glaneur (document synthétique)")
    pdf.set_font("helvetica", size=12)
    for i, paragraph in enumerate(paragraphs):
        if i % 2 == 0:
            pdf.add_page()
        pdf.multi_cell(0, 8, paragraph)
        pdf.ln(4)
    return bytes(pdf.output())


def main() -> None:
    """Write every PDF; with file names as arguments, only those (others keep their bytes)."""
    import sys

    wanted = set(sys.argv[1:])
    for rel, (title, created, paragraphs) in PDFS.items():
        if wanted and Path(rel).name not in wanted:
            continue
        path = MIRROR / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make_pdf(title, created, paragraphs))
        print(f"écrit : {path}")


if __name__ == "__main__":
    main()
