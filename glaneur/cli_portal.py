"""`glaneur comptes`: the professional accounts that may read the directory of actors.

Passwords are stored only as PBKDF2-SHA256 hashes (datasette-auth-passwords' format) in the
accounts file (GLANEUR_ACCOUNTS, default data/comptes.json) that `glaneur serve` reads.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


def _file_option(func):
    return click.option(
        "--fichier", "path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Fichier des comptes (par défaut $GLANEUR_ACCOUNTS ou data/comptes.json).",
    )(func)


@click.group(name="comptes")
def comptes() -> None:
    """Comptes des professionnels (accès à l'annuaire des acteurs)."""


@comptes.command(name="add")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Lire le mot de passe sur l'entrée standard.")
@_file_option
def add(login: str, password_stdin: bool, path: Path | None) -> None:
    """Crée un compte ou change son mot de passe.

    \b
    Exemples :
      glaneur comptes add ccas-nimes
      echo 'mot de passe' | glaneur comptes add ccas-nimes --password-stdin
    """
    from datasette_auth_passwords.utils import hash_password

    from glaneur.portal import load_accounts, save_accounts

    if not LOGIN_RE.match(login):
        raise click.ClickException(
            "Identifiant invalide : 2 à 40 caractères parmi minuscules, chiffres, point, tiret, souligné."
        )
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt="Confirmez le mot de passe")
    if len(password) < 8:
        raise click.ClickException("Le mot de passe doit contenir au moins 8 caractères.")
    accounts = load_accounts(path)
    existed = login in accounts
    accounts[login] = hash_password(password)
    written = save_accounts(accounts, path)
    click.echo(f"Compte « {login} » {'mis à jour' if existed else 'créé'} dans {written}.")


@comptes.command(name="list")
@_file_option
def list_accounts(path: Path | None) -> None:
    """Liste les comptes (jamais les mots de passe)."""
    from glaneur.portal import load_accounts

    accounts = load_accounts(path)
    for login in accounts:
        click.echo(login)
    click.echo(f"{len(accounts)} compte(s).", err=True)


@comptes.command(name="remove")
@click.argument("login")
@_file_option
def remove(login: str, path: Path | None) -> None:
    """Supprime un compte."""
    from glaneur.portal import load_accounts, save_accounts

    accounts = load_accounts(path)
    if login not in accounts:
        raise click.ClickException(f"Compte inconnu : {login}")
    del accounts[login]
    save_accounts(accounts, path)
    click.echo(f"Compte « {login} » supprimé.")


def register(main: click.Group) -> None:
    """Attach `glaneur comptes` to the main command group."""
    main.add_command(comptes)
