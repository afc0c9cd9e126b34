"""Roles of the portal's accounts, and what each role may do.

Every account is a « professionnel » (it reads the directory of actors). « éditeur » adds the
editorial acts (corrections of resources); « administrateur » adds the management of accounts
and holds every other role. Roles live in the accounts file (glaneur/portal.py) and are read
again at each check, so that a role taken away, or an account removed, stops a session at once.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

ROLES = {"professionnel": "professionnel", "editeur": "éditeur", "administrateur": "administrateur"}
# A role holds the roles listed after it.
IMPLIED = {"administrateur": ("editeur", "professionnel"), "editeur": ("professionnel",), "professionnel": ()}


class RoleError(ValueError):
    """A role name that is none of the portal's roles."""


def role_slug(name: str) -> str:
    """« Éditeur », « editeur », « éditrice »… → the role's slug; anything else is refused."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name.strip().lower()) if not unicodedata.combining(c))
    aliases = {"editrice": "editeur", "admin": "administrateur", "administratrice": "administrateur",
               "professionnelle": "professionnel", "pro": "professionnel"}
    slug = aliases.get(folded, folded)
    if slug not in ROLES:
        raise RoleError(f"Rôle inconnu : « {name} » (rôles : {', '.join(ROLES.values())}).")
    return slug


def effective_roles(stored: list[str]) -> set[str]:
    """The roles an account holds: « professionnel » always, plus those its roles imply."""
    roles = {"professionnel"}
    for role in stored:
        if role in ROLES:
            roles |= {role, *IMPLIED[role]}
    return roles


def roles_of(login: str | None, path: Path | None = None) -> set[str]:
    """Roles of an account, read from the accounts file now (none for an unknown login)."""
    from glaneur.portal import load_account_records

    if not login:
        return set()
    record = load_account_records(path).get(login)
    return effective_roles(record["roles"]) if record else set()


def actor_has_role(actor: dict | None, role: str, path: Path | None = None) -> bool:
    """True when the logged-in actor's account holds `role` (checked against the file, not the cookie)."""
    return bool(actor) and role in roles_of(actor.get("id"), path)
