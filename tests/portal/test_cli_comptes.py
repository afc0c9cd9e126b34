"""`glaneur comptes add|list|remove`: hashed passwords, in the file `glaneur serve` reads."""

from __future__ import annotations

import json

import click
from click.testing import CliRunner
from datasette_auth_passwords.utils import verify_password

from glaneur.cli_portal import register


def cli() -> click.Group:
    group = click.Group()
    register(group)
    return group


def test_add_list_remove(tmp_path, monkeypatch):
    path = tmp_path / "comptes.json"
    monkeypatch.setenv("GLANEUR_ACCOUNTS", str(path))
    runner = CliRunner()
    result = runner.invoke(cli(), ["comptes", "add", "ccas-nimes", "--password-stdin"], input="tres-secret-42\n")
    assert result.exit_code == 0, result.output
    assert "créé" in result.output
    stored = json.loads(path.read_text())
    assert "tres-secret-42" not in path.read_text()
    assert verify_password("tres-secret-42", stored["ccas-nimes"])
    assert oct(path.stat().st_mode)[-3:] == "600"

    prompt = runner.invoke(cli(), ["comptes", "add", "banque-11"], input="autre-secret\nautre-secret\n")
    assert prompt.exit_code == 0, prompt.output
    listing = runner.invoke(cli(), ["comptes", "list"])
    assert listing.output.split() == ["banque-11", "professionnel", "ccas-nimes", "professionnel", "2", "compte(s)."]

    assert runner.invoke(cli(), ["comptes", "remove", "ccas-nimes"]).exit_code == 0
    assert list(json.loads(path.read_text())) == ["banque-11"]
    missing = runner.invoke(cli(), ["comptes", "remove", "personne"])
    assert missing.exit_code != 0 and "Compte inconnu" in missing.output


def test_rejects_short_password_and_bad_login(tmp_path, monkeypatch):
    monkeypatch.setenv("GLANEUR_ACCOUNTS", str(tmp_path / "c.json"))
    runner = CliRunner()
    short = runner.invoke(cli(), ["comptes", "add", "ccas", "--password-stdin"], input="court\n")
    assert short.exit_code != 0 and "8 caractères" in short.output
    bad = runner.invoke(cli(), ["comptes", "add", "Nom Avec Espaces", "--password-stdin"], input="assez-long-1\n")
    assert bad.exit_code != 0 and "Identifiant invalide" in bad.output
