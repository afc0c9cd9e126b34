"""A generated mirror of N sites × M pages (feed + HTML articles + some PDFs) for benchmarks.

Each site gets its own loopback address (127.0.0.N), so per-domain politeness limits apply
per site as they would on the web. Content is synthetic French text with dates, territories and
types for the normalizers to work on.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

TOPICS = [
    ("Appel à projets", "appel à projets pour les épiceries solidaires, date limite de dépôt le {d}"),
    ("Formation", "formation des bénévoles à l'accueil en épicerie sociale les {d}"),
    ("Webinaire", "webinaire sur la participation des personnes concernées le {d}"),
    ("Étude", "étude sur le non-recours à l'aide alimentaire publiée le {d}"),
    ("Guide", "guide méthodologique pour créer une plateforme logistique, édition du {d}"),
    ("Actualité", "actualité du réseau : inauguration d'un jardin solidaire le {d}"),
]
PLACES = ["Gard (30)", "Hérault (34)", "Aude (11)", "en Occitanie", "à Lyon", "en Bretagne", "Morbihan (56)", "à Paris"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
FILLER = (
    "Les associations d'aide alimentaire, les CCAS et les collectivités coopèrent pour améliorer l'accès "
    "de tous à une alimentation de qualité. Le projet s'appuie sur les producteurs locaux, la mutualisation "
    "logistique et la participation des personnes accueillies. "
)


def article_html(site: int, page: int, rng: random.Random) -> tuple[str, str, datetime]:
    kind, sentence = rng.choice(TOPICS)
    day = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(330))
    when = f"{rng.randrange(1, 28)} {rng.choice(MONTHS)} 2027"
    place = rng.choice(PLACES)
    title = f"{kind} n°{page} du site {site} : alimentation solidaire {place}"
    body = "".join(f"<p>{FILLER * rng.randrange(1, 3)}</p>" for _ in range(rng.randrange(4, 9)))
    html = (
        f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta name='description' content='{sentence.format(d=when)}'>"
        f"<meta property='article:published_time' content='{day.date().isoformat()}'></head><body>"
        f"<header><nav><a href='/'>Accueil</a> <a href='/actualites'>Actualités</a></nav></header>"
        f"<main><article><h1>{title}</h1><p>Publié le {day.date().isoformat()}</p>"
        f"<p>{sentence.format(d=when).capitalize()} ({place}).</p>{body}"
        + (f"<p><a href='/docs/p{page}.pdf'>Télécharger le document (PDF)</a></p>" if page % 50 == 0 else "")
        + "</article></main><footer>Mentions légales</footer></body></html>"
    )
    return title, html, day


def minimal_pdf(text: str) -> bytes:
    """A small valid one-page PDF with text, written directly (no extra dependency)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def generate(root: Path, sites: int = 20, pages: int = 250, seed: int = 7) -> list[Path]:
    """Write site directories site01..siteNN, each with feed.xml, a/<n>.html and docs/*.pdf."""
    rng = random.Random(seed)
    dirs = []
    for s in range(1, sites + 1):
        site = root / f"site{s:02d}"
        (site / "a").mkdir(parents=True, exist_ok=True)
        (site / "docs").mkdir(exist_ok=True)
        items = []
        for p in range(1, pages + 1):
            title, html, day = article_html(s, p, rng)
            (site / "a" / f"{p}.html").write_text(html, encoding="utf-8")
            items.append((title, f"/a/{p}.html", day))
            if p % 50 == 0:
                (site / "docs" / f"p{p}.pdf").write_bytes(minimal_pdf(f"Rapport {p} du site {s} aide alimentaire"))
        entries = "".join(
            f"<item><title>{t}</title><link>{{BASE}}{link}</link><guid>{{BASE}}{link}</guid>"
            f"<pubDate>{format_datetime(day)}</pubDate></item>"
            for t, link, day in items
        )
        (site / "feed.xml").write_text(
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Site {s}</title><link>{{BASE}}/</link><description>Banc d'essai</description>"
            f"{entries}</channel></rss>",
            encoding="utf-8",
        )
        dirs.append(site)
    return dirs
