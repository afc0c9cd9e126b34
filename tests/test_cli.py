"""Every command documents itself and the default database path is the documented one."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from glaneur.cli import main

SEED = "/work/shared/seeds/004_bc9db839a8456d62.txt"


def all_commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path", sorted(all_commands(main)))
def test_every_command_has_french_help(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command = main
    for name in path:
        command = command.commands[name]
    assert command.help, f"commande sans aide : {' '.join(path)}"


def test_db_option_everywhere_the_database_is_used():
    for path in (("crawl",), ("build",), ("serve",)):
        result = CliRunner().invoke(main, [*path, "--help"])
        assert "--db" in result.output and "data/glaneur.db" in result.output


def test_sources_list_json():
    result = CliRunner().invoke(main, ["sources", "list", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert {"id", "kind", "organisation", "entry_urls", "cadence", "licence", "mention"} <= set(rows[0])


def test_extract_text_file_prints_every_key(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Appel à projets épiceries solidaires du Gard (30)\n\n"
        "Date limite de dépôt : 15 janvier 2027. Les associations du Gard peuvent candidater.",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", str(page), "--url", "https://exemple.org/aap"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["title", "url", "type", "themes", "audiences", "regions", "departements", "scope",
                          "published", "deadline", "event_start", "event_end", "event_start_time", "event_end_time",
                          "location", "organisations", "summary"]
    assert data["url"] == "https://exemple.org/aap"
    assert data["type"] == "appel_a_projets"
    assert data["title"].startswith("Appel à projets")


def test_extract_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "absent.html")])
    assert result.exit_code != 0
    assert "Fichier introuvable" in result.output
