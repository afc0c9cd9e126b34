"""Discovery: from a homepage, the connector that reads a site best, and the evidence for it.

Probes in the order of docs/ajouter-une-source.md (API, WordPress, feed, sitemap, HTML listing)
and stops at the first that gives items, unless a connector is asked for: robots.txt, the
homepage (CMS, announced feeds, JSON-LD, repeated link blocks), the WordPress REST API (post
types, categories with their names and counts, The Events Calendar), feeds (announced, then the
CMS's usual paths), sitemaps (robots.txt, /sitemap.xml, indexes). Every French line of evidence
says what was seen where, so the operator can judge the proposal.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from glaneur.probe import MAX_REQUESTS, Fetched, Prober

CONNECTORS = ("tribe_events", "wordpress", "feed", "sitemap", "listing")
LABELS = {
    "tribe_events": "agenda The Events Calendar (API REST)",
    "wordpress": "WordPress (API REST)",
    "feed": "flux RSS/Atom",
    "sitemap": "plan de site",
    "listing": "liste HTML (sélecteurs CSS)",
}
FEED_VERSIONS = {"rss20": "RSS 2.0", "rss10": "RSS 1.0", "rss091u": "RSS 0.91", "rss092": "RSS 0.92",
                 "atom10": "Atom 1.0", "atom03": "Atom 0.3", "json1": "JSON Feed 1.0", "json11": "JSON Feed 1.1"}
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
# Where each CMS puts its main feed when the homepage does not announce it.
FEED_PATHS = {
    "wordpress": ["/feed/"],
    "spip": ["/spip.php?page=backend"],
    "drupal": ["/rss.xml"],
    "joomla": ["/?format=feed&type=rss"],
    None: ["/feed/", "/rss.xml", "/index.xml"],
}
# Post types of WordPress that are no publications.
WP_SKIPPED_TYPES = {"attachment", "nav_menu_item", "wp_block", "wp_template", "wp_template_part", "wp_navigation",
                    "wp_global_styles", "wp_font_family", "wp_font_face", "tribe_events", "tribe_venue",
                    "tribe_organizer"}
# Categories worth proposing as a filter (the portal's field).
FOOD_WORDS = re.compile(r"aliment|précarité|precarite|épicerie|epicerie|solidari|nutrition|glan|paniers?\b|"
                        r"restauration|cantine|faim|\bpat\b", re.I)
NEWS_WORDS = re.compile(r"actu|news|article|publication|agenda|evenement|événement|blog|ressource|post|appel|"
                        r"etude|étude|formation", re.I)
CHROME = re.compile(r"(^|[-_ ])(nav|navbar|navigation|menu|breadcrumbs?|pager|pagination|skip-?links?|social|"
                    r"share|toolbar|lang|langue)($|[-_ ])|site-header|site-footer|fr-header|fr-footer|fr-nav|"
                    r"fr-breadcrumb|fr-pagination|fr-sidemenu|fr-skiplinks", re.I)
UNSTABLE_CLASS = re.compile(r"\d|^(active|current|first|last|odd|even|is-|has-|js-)|--(active|current)")
NEXT_SELECTORS = ("a[rel=next]::attr(href)", "link[rel=next]::attr(href)", ".fr-pagination__link--next::attr(href)",
                  ".pager__item--next a::attr(href)", ".pagination .next a::attr(href)",
                  ".pagination-next a::attr(href)", "a.next::attr(href)", ".next a::attr(href)")


@dataclass
class Candidate:
    """A connector that works on this site, ready to become a registry entry."""

    connector: str
    entry_url: str
    evidence: list[str] = field(default_factory=list)
    options: dict = field(default_factory=dict)  # registry sections: wordpress, listing, api
    default_type: str = "actualite"
    fetched: Fetched | None = None  # the entry response, when it is the one the spider asks for

    @property
    def label(self) -> str:
        return LABELS[self.connector]

    @property
    def kind(self) -> str:
        return "api" if self.connector == "tribe_events" else self.connector


@dataclass
class Discovery:
    homepage: str
    prober: Prober
    cms: str | None = None
    site_name: str = ""
    evidence: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    explanation: str = ""  # French: why no connector is proposed
    home: Fetched | None = None
    jsonld_types: list[str] = field(default_factory=list)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def candidate(self, connector: str) -> Candidate | None:
        return next((c for c in self.candidates if c.connector == connector), None)


def discover(homepage: str, want: str | None = None, max_requests: int = MAX_REQUESTS,
             prober: Prober | None = None) -> Discovery:
    """Probe a site and rank the connectors that read it (best first)."""
    prober = prober or Prober(homepage, max_requests=max_requests)
    found = Discovery(homepage, prober)
    prober.read_robots()
    status = prober.robots_status
    found.evidence.append("robots.txt injoignable" if status is None else f"robots.txt : HTTP {status}")
    if not prober.allowed(homepage):
        found.explanation = (
            f"Le fichier robots.txt de {urlsplit(homepage).netloc} interdit à Glaneur de lire {homepage} "
            "(règle Disallow pour tous les robots ou pour « Glaneur »). Glaneur ne collecte pas un site qui le "
            "refuse : demandez à l'éditeur un flux, une API ou une autorisation (règle « User-agent: Glaneur / "
            "Allow: / »), ou choisissez une autre source."
        )
        return found
    home = prober.get(homepage, rebase=True)
    if prober.moved_from:
        found.evidence.append(f"la page d'accueil redirige vers un autre site : {prober.homepage}")
        found.homepage = prober.homepage
    if home is None or not home.ok:
        found.explanation = unreachable_explanation(homepage, home, prober)
        return found
    found.home = home
    page = Selector(text=home.text)
    found.cms, cms_why = detect_cms(home, page)
    found.site_name = site_name(page)
    if found.cms:
        found.evidence.append(f"{CMS_NAMES[found.cms]} ({', '.join(cms_why)})")
    found.jsonld_types = jsonld_types(home)
    if found.jsonld_types:
        found.evidence.append(f"données schema.org JSON-LD sur la page d'accueil : {', '.join(found.jsonld_types)}")

    listing = listing_candidate(home, page)  # free: the homepage is already read
    wordpress = found.cms == "wordpress" or bool(page.css('link[rel="https://api.w.org/"]'))
    tiers = ((("tribe_events", "wordpress"), wordpress, probe_wordpress), (("feed",), True, probe_feeds),
             (("sitemap",), True, probe_sitemaps))
    for connectors, applies, probe in tiers:
        if want is None and found.candidates:
            break  # the best tier found: lower ones would only cost requests
        if applies and (want is None or want in connectors):
            probe(found, page)
    if listing is not None:
        found.candidates.append(listing)
    elif is_javascript_shell(page):
        found.evidence.append("la page d'accueil est rendue par JavaScript : le HTML reçu ne contient aucune liste "
                              "de liens à lire")
    order = {name: i for i, name in enumerate(CONNECTORS)}
    found.candidates.sort(key=lambda c: order[c.connector])
    if not found.candidates:
        found.explanation = no_candidate_explanation(found, page)
    return found


CMS_NAMES = {"wordpress": "WordPress", "spip": "SPIP", "drupal": "Drupal", "joomla": "Joomla"}


def detect_cms(home: Fetched, page: Selector) -> tuple[str | None, list[str]]:
    """The CMS a homepage comes from, with what shows it."""
    generator = " ".join(page.css('meta[name="generator"]::attr(content)').getall())
    header = home.headers.get("x-generator", "") + " " + home.headers.get("x-powered-by", "")
    html = home.text
    signs = {
        "wordpress": [("balise <meta name=\"generator\"> WordPress", "wordpress" in generator.lower()),
                      ("lien <link rel=\"https://api.w.org/\">", bool(page.css('link[rel="https://api.w.org/"]'))),
                      ("en-tête Link vers /wp-json/", "api.w.org" in home.headers.get("link", "")),
                      ("fichiers /wp-content/", "/wp-content/" in html)],
        "spip": [("balise <meta name=\"generator\"> SPIP", "spip" in generator.lower()),
                 ("en-tête Composed-By SPIP", "spip" in home.headers.get("composed-by", "").lower()),
                 ("liens spip.php?…", "spip.php?" in html)],
        "drupal": [("en-tête X-Generator Drupal", "drupal" in header.lower()),
                   ("balise <meta name=\"generator\"> Drupal", "drupal" in generator.lower()),
                   ("fichiers /sites/default/files/ ou /core/",
                    "/sites/default/files/" in html or "/core/misc/" in html)],
        "joomla": [("balise <meta name=\"generator\"> Joomla", "joomla" in generator.lower()),
                   ("fichiers /media/system/ ou /components/com_",
                    "/media/system/" in html or "/components/com_" in html)],
    }
    scores = {cms: [why for why, hit in checks if hit] for cms, checks in signs.items()}
    best = max(scores, key=lambda cms: len(scores[cms]))
    why = scores[best]
    if page.css('link[href*="dsfr"], .fr-header, .fr-footer'):
        why = why + ["système de design de l'État (DSFR)"] if why else why
    return (best, why) if why else (None, [])


def site_name(page: Selector) -> str:
    """The site's name: og:site_name, else the title's site part (« Page | Site » in Drupal,
    « Site – Slogan » on a WordPress homepage)."""
    named = (page.css('meta[property="og:site_name"]::attr(content)').get() or "").strip()
    if named:
        return named
    title = " ".join((page.css("title::text").get() or "").split())
    if " | " in title:
        return title.rsplit(" | ", 1)[-1].strip()
    return re.split(r" [–—] ", title, maxsplit=1)[0].strip()


def jsonld_types(response: Fetched) -> list[str]:
    from pipelines.jsonld import _types, jsonld_nodes

    found: list[str] = []
    for node in jsonld_nodes(response.body, response.url):
        found.extend(t for t in sorted(_types(node)) if t not in found)
    return found


def load_json(response: Fetched | None):
    if response is None:
        return None
    try:
        return json.loads(response.text)
    except ValueError:
        return None


# --- WordPress ----------------------------------------------------------------------------------------
def probe_wordpress(found: Discovery, page: Selector) -> None:
    from spiders.tribe_events import dated_url
    from spiders.wordpress import rest_endpoints

    prober = found.prober
    root = page.css('link[rel="https://api.w.org/"]::attr(href)').get() or prober.site + "/wp-json/"
    root = urljoin(found.homepage, root)
    index = prober.get(root)
    data = load_json(index)
    if index is None or not index.ok or not isinstance(data, dict) or "wp/v2" not in (data.get("namespaces") or []):
        code = data.get("code") if isinstance(data, dict) else None
        status = f"HTTP {index.status}" if index else "non demandée"
        found.evidence.append(f"API REST WordPress fermée ({root} : {status}{f', « {code} »' if code else ''})")
        return
    namespaces = data.get("namespaces") or []
    found.evidence.append(f"API REST WordPress ouverte ({root}) : {len(namespaces)} espaces de noms")
    if "tribe/events/v1" in namespaces:
        from glaneur.today import reference_today

        entry = prober.site + "/wp-json/tribe/events/v1/events?per_page=50"
        events_response = prober.get(dated_url(entry, reference_today().isoformat()))
        events = load_json(events_response)
        if isinstance(events, dict) and events.get("events"):
            titles = [e.get("title", "") for e in events["events"][:3]]
            candidate = Candidate(
                "tribe_events", entry, default_type="evenement", options={"api": {"client": "tribe_events"}},
                fetched=events_response,
                evidence=[f"extension The Events Calendar (espace de noms tribe/events/v1) : "
                          f"{events.get('total', len(events['events']))} événement(s) à venir, dont "
                          + " ; ".join(f"« {t} »" for t in titles)],
            )
            found.candidates.append(candidate)
        else:
            found.evidence.append("The Events Calendar installé mais sans événement à venir")
    types = load_json(prober.get(root.rstrip("/") + "/wp/v2/types"))
    post_types = []
    if isinstance(types, dict):
        post_types = [(t.get("rest_base") or slug, t.get("name") or slug) for slug, t in types.items()
                      if isinstance(t, dict) and slug not in WP_SKIPPED_TYPES]
        found.evidence.append("types de contenu publics : "
                              + ", ".join(f"{base} ({name})" for base, name in post_types))
    categories = load_json(prober.get(
        root.rstrip("/") + "/wp/v2/categories?per_page=100&orderby=count&order=desc&_fields=id,name,slug,count"))
    options: dict = {}
    if isinstance(categories, list) and categories:
        from pipelines.extract import html_fragment_to_text

        listed = [c for c in categories if isinstance(c, dict) and c.get("count")]
        found.evidence.append("catégories (les plus fournies) : " + ", ".join(
            f"{html_fragment_to_text(c.get('name', ''))} (id {c.get('id')}, {c.get('count')} articles)"
            for c in listed[:8]))
        food = [c for c in listed if FOOD_WORDS.search(html_fragment_to_text(c.get("name", "")))]
        if food and len(food) < len(listed):
            options["categories"] = [c["id"] for c in food]
    endpoint = rest_endpoints(prober.site + "/", options)[0]
    posts_response = prober.get(endpoint)
    posts = load_json(posts_response)
    if isinstance(posts, list) and posts:
        total = posts_response.headers.get("x-wp-total", str(len(posts)))
        evidence = [f"{total} article(s) servis par {endpoint}"]
        if options.get("categories"):
            evidence.append("filtre proposé : catégorie(s) " + ", ".join(str(c) for c in options["categories"])
                            + " (ids lus dans /wp-json/wp/v2/categories, donc vérifiés)")
        found.candidates.append(Candidate("wordpress", prober.site + "/", evidence,
                                          {"wordpress": options} if options else {}, fetched=posts_response))
        return
    found.evidence.append(f"l'API WordPress ne sert aucun article ({endpoint})")
    custom = [(base, name) for base, name in post_types if base not in ("posts", "pages")]
    if custom:  # a theme's own post type (« actualites », « ressources ») holds the publications
        base, name = custom[0]
        options = {"post_types": [base]}
        endpoint = rest_endpoints(prober.site + "/", options)[0]
        response = prober.get(endpoint)
        items = load_json(response)
        if isinstance(items, list) and items:
            total = response.headers.get("x-wp-total", str(len(items)))
            found.candidates.append(Candidate("wordpress", prober.site + "/", [
                f"les publications sont dans le type de contenu « {name} » : {total} élément(s) servis par {endpoint}"],
                {"wordpress": options}, fetched=response))


# --- Feeds --------------------------------------------------------------------------------------------
def announced_feeds(page: Selector, base: str) -> list[str]:
    """Feeds a page announces with <link rel="alternate">, comments feeds left out."""
    feeds = []
    for link in page.css('link[rel~="alternate"]'):
        kind = (link.attrib.get("type") or "").lower()
        href = link.attrib.get("href")
        title = (link.attrib.get("title") or "").lower()
        if kind in FEED_TYPES and href and "comment" not in title and "/comments/" not in href:
            feeds.append(urljoin(base, href))
    return list(dict.fromkeys(feeds))


def read_feed(response: Fetched | None):
    if response is None or not response.ok:
        return None
    from spiders.feed import parse_feed

    feed = parse_feed(response.body, response.url, response.headers)
    return feed if feed.entries else None


def probe_feeds(found: Discovery, page: Selector) -> None:
    announced = announced_feeds(page, found.homepage)
    guesses = [found.prober.site + p for p in FEED_PATHS.get(found.cms, FEED_PATHS[None])]
    for url in announced[:2] + [g for g in guesses if g not in announced][:2]:
        response = found.prober.get(url)
        feed = read_feed(response)
        how = "annoncé dans la page d'accueil (<link rel=\"alternate\">)" if url in announced else \
            f"à l'adresse habituelle {'de ' + CMS_NAMES[found.cms] if found.cms else 'des flux'}"
        if feed is None:
            found.evidence.append(f"pas de flux lisible à {url} ({how})")
            continue
        version = FEED_VERSIONS.get(feed.get("version", ""), feed.get("version") or "")
        first = feed.entries[0].get("title", "")
        found.candidates.append(Candidate("feed", url, fetched=response, evidence=[
            f"flux {version} {how} : {len(feed.entries)} entrée(s), dont « {first} »"]))
        return


# --- Sitemaps -----------------------------------------------------------------------------------------
def sitemap_urls(response: Fetched | None):
    """(type, locs) of a sitemap or sitemap index, or None when it is not one."""
    if response is None or not response.ok:
        return None
    from scrapy.utils.sitemap import Sitemap

    try:
        sitemap = Sitemap(response.body)
    except Exception:  # lxml raises several types on broken XML
        return None
    locs = [entry.get("loc", "") for entry in sitemap if entry.get("loc")]
    return (sitemap.type, locs) if sitemap.type in ("urlset", "sitemapindex") else None


def url_pattern(urls: list[str]) -> tuple[str | None, int]:
    """A path prefix that keeps the publications of a sitemap (news words first), and its count."""
    paths = [urlsplit(u).path.strip("/") for u in urls]
    segments = Counter(path.split("/")[0] for path in paths if "/" in path)
    if not segments:
        return None, len(urls)
    newsy = [s for s in segments if NEWS_WORDS.search(s) and segments[s] >= 2]
    best = max(newsy or segments, key=lambda s: segments[s])
    if segments[best] < 2:
        return None, len(urls)
    return f"/{re.escape(best)}/[^/?#]", segments[best]  # the items, not the listing page itself


def probe_sitemaps(found: Discovery, page: Selector | None = None) -> None:
    prober = found.prober
    declared = prober.robots_sitemaps
    tried = declared[:1] or [prober.site + "/sitemap.xml"] + ([prober.site + "/wp-sitemap.xml"]
                                                             if found.cms == "wordpress" else [])
    for url in tried:
        response = prober.get(url)
        parsed = sitemap_urls(response)
        how = "annoncé dans robots.txt" if url in declared else "à l'adresse habituelle"
        if parsed is None:
            found.evidence.append(f"pas de plan de site lisible à {url} ({how})")
            continue
        kind, locs = parsed
        notes = [f"plan de site {how} : {url}"]
        entry, fetched = url, response
        if kind == "sitemapindex":
            child = next((loc for loc in locs if NEWS_WORDS.search(urlsplit(loc).path)), locs[0] if locs else None)
            if child is None:
                continue
            child_response = prober.get(child)
            parsed = sitemap_urls(child_response)
            if parsed is None or parsed[0] != "urlset":
                found.evidence.append(f"index de plans de site sans plan lisible ({child})")
                continue
            notes.append(f"index de {len(locs)} plan(s) ; retenu : {child}")
            entry, fetched, locs = child, child_response, parsed[1]
        pages = [loc for loc in locs if urlsplit(loc).path.strip("/")]
        pattern, kept = url_pattern(pages)
        prefix = pattern.split("[")[0].replace("\\", "") if pattern else ""
        notes.append(f"{len(locs)} URL" + (f", dont {kept} sous {prefix}" if pattern else ""))
        listing = {"max_items": 200}
        if pattern:
            listing["url_pattern"] = pattern
        found.candidates.append(Candidate("sitemap", entry, notes, {"listing": listing}, fetched=fetched))
        return


# --- HTML listings ------------------------------------------------------------------------------------
def _stable_classes(element) -> list[str]:
    return [c for c in (element.get("class") or "").split() if not UNSTABLE_CLASS.search(c)]


def _in_chrome(element) -> bool:
    """A link of the site's furniture (menus, header, footer, pagination), not of its content."""
    for node in element.iterancestors():
        if node.tag in ("nav", "aside", "form") or node.get("role") in ("navigation", "banner", "contentinfo"):
            return True
        if node.tag in ("header", "footer"):  # the site's, unless inside an article or the main content
            return not any(up.tag in ("article", "main") for up in node.iterancestors())
        if CHROME.search(" ".join([node.get("class") or "", node.get("id") or ""])):
            return True
        if node.tag in ("article", "main"):
            return False
    return False


def _chain(element) -> list:
    return [element] + list(element.iterancestors())[:3]


def _signature(elements: list) -> tuple:
    """Tag and shared stable classes of a link and its three ancestors, over a group of links
    (classes that change from item to item, « category-alimentation », are left out)."""
    chains = [_chain(a) for a in elements]
    levels = []
    for depth, node in enumerate(chains[0]):
        shared = set(_stable_classes(node))
        for chain in chains[1:]:
            shared &= set(_stable_classes(chain[depth])) if depth < len(chain) else set()
        levels.append((node.tag, tuple(c for c in _stable_classes(node) if c in shared)))
    return tuple(levels)


def link_groups(page: Selector, base: str) -> list[tuple[tuple, list[str]]]:
    """Links of the page grouped by their markup (tags of the link and three ancestors, then also
    their classes), largest first: a listing is a block repeated for each item."""
    host = urlsplit(base).netloc
    by_tags: dict[tuple, list] = {}
    by_classes: dict[tuple, list] = {}
    for a in page.root.iter("a"):
        href = (a.get("href") or "").strip()
        text = " ".join(" ".join(a.itertext()).split())
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")) or len(text) < 12:
            continue
        url = urljoin(base, href)
        if urlsplit(url).netloc != host or url.rstrip("/") == base.rstrip("/") or _in_chrome(a):
            continue
        chain = _chain(a)
        by_tags.setdefault(tuple(n.tag for n in chain), []).append((url, a))
        by_classes.setdefault(tuple((n.tag, tuple(_stable_classes(n))) for n in chain), []).append((url, a))
    groups = []
    for links in list(by_tags.values()) + list(by_classes.values()):
        urls = list(dict.fromkeys(u for u, _ in links))
        if len(urls) >= 3:
            groups.append((_signature([a for _, a in links]), urls))
    return sorted(groups, key=lambda g: -len(g[1]))


def _selectors_for(signature: tuple) -> list[str]:
    """CSS selectors that may name a group, most specific class first."""
    (a_tag, a_classes), *ancestors = signature
    options = [f"a.{c}::attr(href)" for c in a_classes]
    for depth, (_tag, classes) in enumerate(ancestors):
        between = [t for t, _ in ancestors[:depth]]
        for c in classes:
            options.append(f".{c} a::attr(href)")
            if between:
                options.append(f".{c} {' '.join(reversed(between))} a::attr(href)")
    tags = [t for t, _ in ancestors]
    if len(tags) >= 2:
        options.append(f"{tags[1]} {tags[0]} a::attr(href)")
    return options


def listing_selectors(page: Selector, base: str, limit: int = 3) -> list[tuple[str, list[str]]]:
    """item_links selectors of the page's largest repeated link blocks (largest first), each
    checked to select exactly its block's links, with those links."""
    found: list[tuple[str, list[str]]] = []
    for signature, wanted in link_groups(page, base)[:8]:
        if any(links == wanted for _, links in found):
            continue  # the same block, grouped by tags and by classes
        for selector in _selectors_for(signature):
            got = list(dict.fromkeys(urljoin(base, h.strip()) for h in page.css(selector).getall()))
            if got == wanted:
                found.append((selector, wanted))
                break
        if len(found) >= limit:
            break
    return found


def listing_candidate(home: Fetched, page: Selector) -> Candidate | None:
    found = listing_selectors(page, home.url)
    if not found:
        return None
    (selector, links), others = found[0], found[1:]
    listing = {"item_links": selector}
    evidence = [f"bloc de liens répété {len(links)} fois : sélecteur « {selector} »"]
    evidence += [f"autre bloc possible ({len(other)} liens) : « {sel} »" for sel, other in others]
    for next_selector in NEXT_SELECTORS:
        if page.css(next_selector).get():
            listing["next_page"] = next_selector
            evidence.append(f"page suivante : « {next_selector} »")
            break
    return Candidate("listing", home.url, evidence, {"listing": listing}, fetched=home)


def is_javascript_shell(page: Selector) -> bool:
    """A page whose content is drawn by a script: almost no text, a mount point, scripts."""
    text = " ".join(t.strip() for t in page.xpath("//body//text()[not(ancestor::script) and not(ancestor::style) "
                                                  "and not(ancestor::noscript)]").getall())
    mount = page.css("#root, #app, #__next, #__nuxt, [data-reactroot], app-root, [ng-app]")
    return len(text) < 300 and bool(mount or page.css("body > script"))


def unreachable_explanation(homepage: str, home: Fetched | None, prober: Prober) -> str:
    """Why the homepage could not be read, and what to do (French)."""
    if home is not None and home.status in (401, 403, 429, 503):
        shield = home.headers.get("server", "")
        shield = f" (serveur « {shield} »)" if shield else ""
        return (f"Le site refuse le robot de Glaneur : la page d'accueil {homepage} répond HTTP {home.status}"
                f"{shield}, la réponse d'un pare-feu ou d'une protection anti-robots. Glaneur ne contourne pas ces "
                "protections : demandez à l'éditeur d'autoriser le User-Agent « Glaneur », ou un flux ou une API.")
    status = f"HTTP {home.status}" if home else "; ".join(prober.refused[-1:]) or "aucune réponse"
    return f"La page d'accueil {homepage} ne répond pas ({status}) : vérifiez l'adresse."


def no_candidate_explanation(found: Discovery, page: Selector) -> str:
    host = urlsplit(found.homepage).netloc
    tried = "; ".join(found.evidence[1:]) or "aucun indice"
    if is_javascript_shell(page):
        return (f"La page {found.homepage} est rendue par JavaScript : le HTML que reçoit un robot ne contient "
                "pas la liste des contenus, et Glaneur n'exécute pas de JavaScript. Aucun repli n'a été trouvé "
                f"(ni API, ni flux, ni plan de site sur {host}). Demandez à l'éditeur un flux RSS ou un plan de "
                "site, ou donnez l'URL d'une page qui liste les contenus en HTML. Indices : " + tried)
    return (f"Aucun connecteur ne lit {found.homepage} : ni API WordPress, ni flux, ni plan de site, ni bloc de "
            "liens répété (au moins trois liens de même forme). Donnez l'URL de la page qui liste les "
            "publications, ou choisissez le type avec --kind. Indices : " + tried)
