"""`glaneur comptes`: the portal's accounts (directory of actors) and their roles (glaneur/roles.py).

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

    from glaneur.portal import load_account_records, save_accounts

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
    accounts = load_account_records(path)
    existed = login in accounts
    accounts[login] = {"hash": hash_password(password), "roles": accounts.get(login, {}).get("roles", [])}
    written = save_accounts(accounts, path)
    click.echo(f"Compte « {login} » {'mis à jour' if existed else 'créé'} dans {written}.")


@comptes.command(name="list")
@_file_option
def list_accounts(path: Path | None) -> None:
    """Liste les comptes et leurs rôles (jamais les mots de passe)."""
    from glaneur.portal import load_account_records
    from glaneur.roles import ROLES, effective_roles

    accounts = load_account_records(path)
    for login, record in accounts.items():
        roles = effective_roles(record["roles"])
        click.echo(f"{login}\t{', '.join(label for slug, label in ROLES.items() if slug in roles)}")
    click.echo(f"{len(accounts)} compte(s).", err=True)


@comptes.command(name="remove")
@click.argument("login")
@_file_option
def remove(login: str, path: Path | None) -> None:
    """Supprime un compte."""
    from glaneur.portal import load_account_records, save_accounts

    accounts = load_account_records(path)
    if login not in accounts:
        raise click.ClickException(f"Compte inconnu : {login}")
    del accounts[login]
    save_accounts(accounts, path)
    _journal("compte supprimé", login, {})
    click.echo(f"Compte « {login} » supprimé.")


@comptes.command(name="role")
@click.argument("login")
@click.argument("role")
@click.option("--retirer", is_flag=True, help="Retirer ce rôle au lieu de le donner.")
@_file_option
def role(login: str, role: str, retirer: bool, path: Path | None) -> None:
    """Donne (ou retire) un rôle : professionnel, éditeur, administrateur.

    Tout compte est « professionnel » (annuaire) ; « éditeur » corrige les ressources ;
    « administrateur » a tous les rôles. Le changement vaut dès la requête suivante du
    compte, sans reconnexion.

    \b
    Exemples :
      glaneur comptes role camille éditeur
      glaneur comptes role camille éditeur --retirer
    """
    from glaneur.portal import load_account_records, save_accounts
    from glaneur.roles import ROLES, RoleError, effective_roles, role_slug

    try:
        slug = role_slug(role)
    except RoleError as exc:
        raise click.ClickException(str(exc)) from exc
    accounts = load_account_records(path)
    if login not in accounts:
        raise click.ClickException(f"Compte inconnu : {login} (créez-le avec « glaneur comptes add {login} »).")
    roles = set(accounts[login]["roles"])
    if slug == "professionnel" and retirer:
        raise click.ClickException("Tout compte est professionnel : supprimez le compte pour lui retirer l'accès.")
    if retirer:
        roles.discard(slug)
    elif slug != "professionnel":
        roles.add(slug)
    accounts[login]["roles"] = sorted(roles)
    save_accounts(accounts, path)
    _journal("rôle retiré" if retirer else "rôle donné", login, {"role": slug})
    held = effective_roles(sorted(roles))
    click.echo(f"Compte « {login} » : {', '.join(label for s, label in ROLES.items() if s in held)}.")


def _journal(action: str, login: str, details: dict) -> None:
    """Account changes go to the editors' journal too (edition.db beside the default database)."""
    import getpass

    from glaneur.corrections import edition_db_path, log, open_edition_db
    from glaneur.paths import DEFAULT_DB

    db = open_edition_db(edition_db_path(DEFAULT_DB))
    try:
        log(db, getpass.getuser(), action, login, details)
    finally:
        db.close()


def register(main: click.Group) -> None:
    """Attach `glaneur comptes` to the main command group."""
    main.add_command(comptes)
