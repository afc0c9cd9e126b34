"""Resources proposed by partners: a moderation queue, never published before an editor accepts.

The public form « Proposer une ressource » stores a proposal in `edition.db` (`propositions`):
the URL, the type the partner gives, a short description, who proposes it (shown as « proposé
par … » once accepted), their address (kept for the answer only) and their consent. Robots meet
a honeypot; people meet limits per address and per network address (kept as keyed hashes).
An editor previews what Glaneur extracts from the URL (the extraction of `glaneur extract`),
then accepts — the extracted document is kept and every build adds it to the documents, under
the source `propositions` — or declines with a reason; the partner is told by mail either way.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import ipaddress
import json
import os
import re
import secrets
import unicodedata
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import sqlite_utils

from glaneur.corrections import CorrectionError, _now, log, read_only, taxonomy
from glaneur.paths import REGISTRY_FILE

SOURCE_ID = "propositions"
PER_ADDRESS = 5  # proposals per e-mail address per day
PER_NETWORK = 20  # proposals per IP per hour (an office may share one address)
MAX_DESCRIPTION = 600
MAX_NAME = 120
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
ANSWER = ("Merci ! Votre proposition est arrivée dans la file de modération : l'équipe du portail la lira "
          "et vous répondra par courriel.")
TABLE = "propositions_acceptees"  # public: which resource a partner proposed, and who


class ContributionError(CorrectionError):
    """A proposal that cannot be taken; the message is French and names the field."""

    errors: dict[str, str] = {}


def _secret(db: sqlite_utils.Database) -> str:
    if not db["reglages"].exists():
        db["reglages"].create({"key": str, "value": str}, pk="key")
    row = db.execute("select value from reglages where key = 'cle'").fetchone()
    if row:
        return row[0]
    key = secrets.token_hex(32)
    db["reglages"].insert({"key": "cle", "value": key}, pk="key", replace=True)
    return key


def _hash(db: sqlite_utils.Database, value: str) -> str:
    return hmac.new(_secret(db).encode(), value.strip().lower().encode(), hashlib.sha256).hexdigest()


def _since(db_now: datetime, hours: float) -> str:
    return (db_now - timedelta(hours=hours)).replace(microsecond=0).isoformat()


def clean_proposal(form: dict[str, str], nature: str = "ressource") -> dict[str, Any]:
    """The proposal's fields, checked; a ContributionError holds every wrong field (`errors`).

    `nature` is « ressource » (a page or a PDF) or « source » (a partner's site or feed).
    """
    errors: dict[str, str] = {}
    url = (form.get("url") or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000 or " " in url:
        errors["url"] = f"{_url_label(nature)} : une adresse web complète, commençant par https://."
    elif not _public_host(parts.hostname):
        errors["url"] = f"{_url_label(nature)} : une page publique du web (pas une adresse de réseau local)."
    kind = (form.get("type") or "").strip() if nature == "ressource" else ""
    if kind and kind not in taxonomy()["types"]:
        errors["type"] = "Type : choisissez un type de la liste (ou « je ne sais pas »)."
    description = " ".join((form.get("description") or "").split())
    if len(description) < 10:
        errors["description"] = "Description : dites en une ou deux phrases de quoi il s'agit."
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = f"Description : {len(description)} caractères, {MAX_DESCRIPTION} au plus."
    name = " ".join((form.get("nom") or "").split())
    if not name or len(name) > MAX_NAME:
        errors["nom"] = (f"Votre nom ou celui de votre structure : obligatoire (affiché « proposé par … »), "
                         f"{MAX_NAME} caractères au plus.")
    email = (form.get("email") or "").strip().lower()
    if not EMAIL_RE.match(email):
        errors["email"] = "Adresse électronique : nous en avons besoin pour vous répondre."
    if not form.get("consentement"):
        errors["consentement"] = "Cochez la case d'accord : sans elle nous ne pouvons pas garder votre proposition."
    if errors:
        error = ContributionError(next(iter(errors.values())), next(iter(errors)))
        error.errors = errors
        raise error
    return {"url": url, "type": kind or None, "description": description, "nom": name, "email": email,
            "nature": nature}


def _url_label(nature: str) -> str:
    return "Adresse de la ressource" if nature == "ressource" else "Adresse du site ou du flux"


def _private_allowed() -> bool:
    """GLANEUR_PROPOSITIONS_RESEAU_PRIVE=1: pages of a private network may be proposed and fetched
    (an intranet portal, the tests' loopback server). Off by default: the portal would otherwise
    fetch, for anyone, addresses only it can reach."""
    return os.environ.get("GLANEUR_PROPOSITIONS_RESEAU_PRIVE") == "1"


def _public_host(host: str) -> bool:
    if _private_allowed():
        return True
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        return host.lower() != "localhost" and not host.lower().endswith((".localhost", ".local", ".internal"))


def submit(db: sqlite_utils.Database, proposal: dict[str, Any], address: str, now: datetime | None = None) -> dict:
    """Queue a checked proposal (never published); refused beyond the limits."""
    now = now or datetime.now(UTC)
    by_email = db.execute("select count(*) from propositions where email_hash = ? and created >= ?",
                          [_hash(db, proposal["email"]), _since(now, 24)]).fetchone()[0]
    by_network = db.execute("select count(*) from propositions where ip_hash = ? and created >= ?",
                            [_hash(db, address), _since(now, 1)]).fetchone()[0]
    if by_email >= PER_ADDRESS or by_network >= PER_NETWORK:
        raise ContributionError("Vous avez déjà fait beaucoup de propositions aujourd'hui : réessayez demain, ou "
                                "écrivez-nous.", "url")
    row = {**proposal, "email_hash": _hash(db, proposal["email"]), "ip_hash": _hash(db, address),
           "created": _now(now), "statut": "en_attente"}
    row["id"] = db["propositions"].insert(row).last_pk
    return row


def get(db: sqlite_utils.Database, proposal_id: int) -> dict:
    found = list(db.query("select * from propositions where id = ?", [proposal_id]))
    if not found:
        raise ContributionError(f"Proposition inconnue : {proposal_id}")
    return found[0]


def download(url: str) -> bytes:
    """The body at `url`, through trafilatura's downloader (it refuses non-public addresses)."""
    import trafilatura.downloads
    from trafilatura.settings import DEFAULT_CONFIG

    config = copy.deepcopy(DEFAULT_CONFIG)
    if _private_allowed():  # trafilatura refuses non-public addresses (SSRF) unless told otherwise
        config.set("DEFAULT", "SSRF_PROTECTION", "off")
    response = trafilatura.downloads.fetch_response(url, decode=False, config=config)
    if response is None or response.status >= 400:
        raise ContributionError(f"La page n'a pas pu être téléchargée : {url}", "url")
    return response.data


def discover_source(url: str) -> dict[str, Any]:
    """What a proposed site offers: a feed (the URL itself, or announced by the page's
    `<link rel="alternate">`), else what source discovery finds on the site (WordPress REST, the
    CMS's usual feed, a sitemap: glaneur/discovery.py, robots.txt first, 12 requests at most),
    else a page of links for a listing connector to complete."""
    import feedparser
    from parsel import Selector

    body = download(url)
    parsed = feedparser.parse(body)
    if parsed.version and parsed.entries:
        return {"kind": "feed", "entry_url": url, "title": parsed.feed.get("title") or "",
                "entries": len(parsed.entries)}
    html = Selector(text=body.decode("utf-8", errors="replace"))
    title = " ".join((html.css("title::text").get() or "").split())
    for link in html.css('link[rel~="alternate"]'):
        kind = (link.attrib.get("type") or "").lower()
        if ("rss" in kind or "atom" in kind) and link.attrib.get("href"):
            feed_url = urljoin(url, link.attrib["href"])
            try:
                feed = feedparser.parse(download(feed_url))
            except ContributionError:
                continue
            if feed.version:
                return {"kind": "feed", "entry_url": feed_url, "title": title or feed.feed.get("title") or "",
                        "entries": len(feed.entries)}
    found = _discovered(url)
    if found is not None:
        return {**found, "title": title or found["title"]}
    return {"kind": "listing", "entry_url": url, "title": title, "entries": None}


DISCOVERED_KINDS = ("wordpress", "feed", "sitemap")  # what a draft registry entry can be written as


def _discovered(url: str) -> dict[str, Any] | None:
    """The best connector source discovery finds on the proposed site, when it is more than a
    listing (which the operator completes from the draft anyway)."""
    from glaneur.discovery import discover

    host = urlsplit(url).hostname or ""
    if not _public_host(host):
        return None
    try:
        best = discover(url).best
    except Exception:  # discovery is a help here: the simple check above already answered
        return None
    if best is None or best.kind not in DISCOVERED_KINDS:
        return None
    return {"kind": best.kind, "entry_url": best.entry_url, "title": "", "entries": None,
            "evidence": best.evidence[:4]}


def draft_registry_path(edition: Path | str) -> Path:
    """`sources-proposees.yaml` beside `edition.db`: draft registry entries for the operator."""
    return Path(edition).resolve().parent / "sources-proposees.yaml"


def draft_source(proposal: dict, found: dict[str, Any], author: str, draft: Path) -> dict:
    """Append a disabled registry entry to the drafts (checked by the registry's own rules)."""
    from glaneur.registry import load_registry
    from glaneur.scaffold import append_entry, registry_entry

    taken = set()
    for registry in (REGISTRY_FILE, draft):
        if registry.exists():
            taken |= {s.id for s in load_registry(registry)}
    base = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", proposal["nom"].lower())
                  .encode("ascii", "ignore").decode()).strip("-")[:50] or "source-proposee"
    source_id, n = base, 2
    while source_id in taken:
        source_id, n = f"{base}-{n}", n + 1
    entry = registry_entry(source_id, found["kind"], found["entry_url"], proposal["nom"], proposal["nom"])
    entry["enabled"] = False
    entry["notes"] = (f"Proposée par {proposal['nom']} depuis le portail le {proposal['created'][:10]}, acceptée par "
                      f"{author} : « {proposal['description']} ». Explorer le site et choisir le connecteur : "
                      f"glaneur sources new {source_id} --url {proposal['url']} ; ou directement : "
                      f"glaneur sources new {source_id} --kind {found['kind']} --url {found['entry_url']}"
                      + (f". Découverte : {' ; '.join(found['evidence'])}" if found.get("evidence") else ""))
    append_entry(draft, entry)
    return entry


def fetch_document(url: str) -> dict[str, Any]:
    """The page as Glaneur extracts it (trafilatura's download, then the extraction of
    `glaneur extract URL`), as a document row."""
    from glaneur.items import Document
    from pipelines.extract import extract_document

    body = download(url)
    fmt = "pdf" if body[:5] == b"%PDF-" else "html"
    doc = Document(source_id=SOURCE_ID, url=url, kind="page", raw=body, raw_format=fmt)
    try:
        extract_document(doc)
    except ValueError as exc:
        raise ContributionError(f"La page n'a pas pu être lue : {exc}", "url") from exc
    row = asdict(doc)
    return {key: row.get(key) for key in ("url", "title", "summary", "text", "published", "fields")}


def preview(document: dict[str, Any]) -> dict[str, Any]:
    """What the normalizers make of an extracted document (the fields `glaneur extract` prints)."""
    from normalizers import RESOURCE_KEYS
    from normalizers.resource import analyse

    analysis = analyse({**document, "kind": "page", "source_id": SOURCE_ID}, None)
    return {key: analysis.fields[key] for key in RESOURCE_KEYS}


def decide(db: sqlite_utils.Database, proposal_id: int, author: str, accepted: bool, reason: str = "",
           document: dict[str, Any] | None = None, now: datetime | None = None) -> dict:
    """Accept (with the extracted document) or decline (with a reason); journalled."""
    row = get(db, proposal_id)
    if row["statut"] != "en_attente":
        raise ContributionError(f"Proposition déjà traitée ({row['statut'].replace('_', ' ')}).")
    reason = " ".join((reason or "").split())
    if not accepted and not reason:
        raise ContributionError("Dites au partenaire pourquoi sa proposition n'est pas retenue.", "raison")
    if accepted and not (document or {}).get("text") and row.get("nature") != "source":
        raise ContributionError("Rien n'a pu être extrait de la page : impossible de l'accepter.", "url")
    update = {"statut": "acceptee" if accepted else "refusee", "decided_by": author, "decided_at": _now(now),
              "raison": reason or None, "document": json.dumps(document, ensure_ascii=False) if accepted else None}
    with db.conn:
        db["propositions"].update(proposal_id, update)
        log(db, author, "proposition acceptée" if accepted else "proposition refusée", row["url"],
            {"proposition": proposal_id, "raison": reason}, now)
    return {**row, **update}


def accepted_documents(path: Path | str) -> list[dict[str, Any]]:
    """Documents of the accepted proposals, in the form build.load_documents gives (for every build)."""
    db = read_only(path)
    try:
        if db is None or not db["propositions"].exists():
            return []
        docs = []
        for row in db.query("select * from propositions where statut = 'acceptee' "
                            "and coalesce(nature, 'ressource') = 'ressource' order by id"):
            doc = json.loads(row["document"])
            text = doc.get("text") or ""
            docs.append({
                "id": f"proposition-{row['id']}", "source_id": SOURCE_ID, "url": doc.get("url") or row["url"],
                "kind": "page", "title": doc.get("title"), "summary": doc.get("summary"), "text": text,
                "published": doc.get("published"), "fields": doc.get("fields") or {}, "parent_url": None,
                "content_hash": hashlib.sha256(text.encode()).hexdigest(), "first_seen": row["decided_at"],
                "propose_par": row["nom"], "accepte_le": row["decided_at"][:10],
            })
        return docs
    finally:
        if db is not None:
            db.close()


def fingerprint_rows(documents: list[dict[str, Any]]) -> bytes:
    return repr([(d["id"], d["content_hash"]) for d in documents]).encode()


def notify(proposal: dict, accepted: bool, portal: str) -> None:
    """Tell the partner; MailerError when mail is not configured or refused."""
    from schedules.mailer import Mailer, SmtpConfig, build_message

    config = SmtpConfig.from_env()
    if accepted and proposal.get("nature") == "source":
        subject = "Votre proposition de source est acceptée"
        text = (f"Bonjour,\n\nMerci pour votre proposition : {proposal['url']}\n\nL'équipe du portail l'a acceptée : "
                f"l'exploitant du portail va configurer la collecte de vos publications ; elles paraîtront ensuite "
                f"sur le portail : {portal}/\n\nL'équipe du portail")
    elif accepted:
        subject = "Votre proposition est acceptée"
        text = (f"Bonjour,\n\nMerci pour votre proposition : {proposal['url']}\n\nL'équipe du portail l'a acceptée. "
                f"Elle paraîtra sur le portail à la prochaine mise à jour, avec la mention « proposé par "
                f"{proposal['nom']} » : {portal}/\n\nL'équipe du portail")
    else:
        subject = "Votre proposition n'est pas retenue"
        text = (f"Bonjour,\n\nMerci pour votre proposition : {proposal['url']}\n\nL'équipe du portail ne l'a pas "
                f"retenue, pour cette raison :\n\n{proposal['raison']}\n\nN'hésitez pas à nous en proposer "
                f"d'autres : {portal}/proposer\n\nL'équipe du portail")
    from markupsafe import escape

    html = "".join(f"<p>{escape(part)}</p>".replace("\n", "<br>") for part in text.split("\n\n"))
    message = build_message(config.sender, proposal["email"], f"Glaneur — {subject}", text, html)
    with Mailer(config) as mailer:
        mailer.send(message)
