"""`glaneur sources check --live --all` ends with what remains to verify live, per source: a real
live crawl of a WordPress site on 127.0.0.1, its category ids asked to its REST API, a missing key."""

from __future__ import annotations

from pathlib import Path

from tests.discovery.sites import load_site, serve
from tests.support import glaneur

LIVE = {"GLANEUR_DOWNLOAD_DELAY": "0", "GLANEUR_AUTOTHROTTLE": "0"}


def _registry(path: Path, base: str) -> None:
    common = "    organisation: Réseau\n    licence: test\n    mention: test\n"
    path.write_text(
        "sources:\n"
        f"  - id: wp-bon\n    name: WP bon\n{common}    homepage: {base}/\n    kind: wordpress\n"
        f"    entry_urls: [{base}/]\n    wordpress: {{categories: [87, 112]}}\n"
        "    notes: Category ids read in the menu (to check live).\n"
        f"  - id: wp-faux\n    name: WP faux\n{common}    homepage: {base}/\n    kind: wordpress\n"
        f"    entry_urls: [{base}/]\n    wordpress: {{categories: [87, 999]}}\n"
        f"  - id: agenda-cle\n    name: Agenda\n{common}    homepage: {base}/\n    kind: api\n"
        f"    entry_urls: [{base}/agenda.json]\n    api: {{client: openagenda, key_env: GLANEUR_CLE_ABSENTE_ESSAI}}\n",
        encoding="utf-8")


def test_live_check_ends_with_what_remains_to_verify(tmp_path: Path):
    site = load_site("wordpress-rest")
    registry = tmp_path / "sources.yaml"
    with serve(site) as base:
        _registry(registry, base)
        result = glaneur("sources", "check", "--all", "--live", "--registry", str(registry), "--mirror",
                         str(tmp_path / "mirror"), env=LIVE, check=False)
    out = result.stdout
    assert result.returncode == 1  # two sources give nothing
    assert "== wp-bon : 3 élément(s) — OK" in out
    tail = out[out.index("Reste à vérifier en ligne, par source (en ligne) :"):]
    assert out.rstrip().endswith(tail.rstrip())  # the checklist is the end of the report
    sections: dict[str, str] = {}
    for line in tail.splitlines()[1:]:
        if not line.startswith("    "):
            name = line.strip().split(" :")[0]
        sections[name] = sections.get(name, "") + line + "\n"
    bon, faux, agenda = sections["wp-bon"], sections["wp-faux"], sections["agenda-cle"]
    assert "catégorie(s) WordPress confirmées : 87 « Alimentation », 112 « Épiceries solidaires »" in bon
    assert "le registre note une hypothèse : « Category ids read in the menu (to check live). »" in bon
    assert "URL d'entrée en échec" not in bon
    assert "catégorie(s) WordPress inexistante(s) sur le site : 999" in faux
    endpoint = f"{base}/wp-json/wp/v2/posts?_embed=1&per_page=20&categories=87%2C999"
    assert f"URL d'entrée en échec (devinée ?) : {endpoint}" in faux
    assert "clé d'API absente : définissez GLANEUR_CLE_ABSENTE_ESSAI" in agenda
    assert "aucun élément en ligne" not in agenda  # the key explains it
    assert all(agent.startswith("Glaneur/") for _, agent in site.log)
