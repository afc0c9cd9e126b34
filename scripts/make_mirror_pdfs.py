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
    for rel, (title, created, paragraphs) in PDFS.items():
        path = MIRROR / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make_pdf(title, created, paragraphs))
        print(f"écrit : {path}")


if __name__ == "__main__":
    main()
