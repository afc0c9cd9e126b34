"""The professionals' login: back where they were going, throttled, uniform, and a safe cookie."""

from __future__ import annotations

import re

import httpx
import pytest

from glaneur import login_guard
from glaneur.login_guard import LoginGuard, safe_next
from tests.portal.conftest import LOGIN, PASSWORD, THROTTLED_LOGIN


def _try(server: str, username: str, password: str,
         next_path: str | None = None) -> tuple[httpx.Client, httpx.Response]:
    client = httpx.Client(base_url=server, timeout=20)
    token = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/-/login").text).group(1)
    data = {"username": username, "password": password, "csrftoken": token}
    if next_path is not None:
        data["next"] = next_path
    return client, client.post("/-/login", data=data)


@pytest.mark.e2e
def test_forbidden_page_is_french_and_leads_back_after_login(server):
    page = httpx.get(server + "/annuaire/acteurs")
    assert page.status_code == 403
    assert "You do not have permission" not in page.text
    assert "réservée aux professionnels connectés" in page.text and "demander un accès" in page.text
    link = re.search(r'href="(/-/login\?next=[^"]+)"', page.text).group(1)
    assert link == "/-/login?next=%2Fannuaire%2Facteurs"
    form = httpx.get(server + link).text
    assert 'name="next" value="/annuaire/acteurs"' in form
    client, response = _try(server, LOGIN, PASSWORD, "/annuaire/acteurs")
    assert response.status_code == 302 and response.headers["location"] == "/annuaire/acteurs"
    assert client.get("/annuaire/acteurs").status_code == 200


@pytest.mark.e2e
@pytest.mark.parametrize("target", ["https://ailleurs.example/", "//ailleurs.example/x", "/\\ailleurs.example"])
def test_login_never_sends_elsewhere(server, target):
    _, response = _try(server, LOGIN, PASSWORD, target)
    assert response.status_code == 302 and response.headers["location"] == "/"


@pytest.mark.e2e
def test_session_cookie_is_httponly_and_samesite(server):
    _, response = _try(server, LOGIN, PASSWORD)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("ds_actor=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # GLANEUR_COOKIE_SECURE=1 behind HTTPS


@pytest.mark.e2e
def test_failed_logins_are_throttled_even_for_the_right_password(server):
    for _ in range(login_guard.TRIES_PER_LOGIN):
        _, response = _try(server, THROTTLED_LOGIN, "pas le bon")
        assert response.status_code == 200 and "Identifiant ou mot de passe incorrect" in response.text
    _, response = _try(server, THROTTLED_LOGIN, PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives de connexion : réessayez dans 15 minutes." in response.text
    assert "ds_actor" not in response.headers.get("set-cookie", "")
    _, other = _try(server, LOGIN, PASSWORD)  # another login from the same address still works
    assert other.status_code == 302


def test_address_limit_and_window(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(login_guard.time, "monotonic", lambda: clock[0])
    guard = LoginGuard(window=900, per_login=5, per_address=3)
    for name in ("a", "b", "c"):
        assert not guard.blocked(name, "10.0.0.1")
        guard.failed(name, "10.0.0.1")
    assert guard.blocked("d", "10.0.0.1") == 15  # the address is over its limit, whatever the login
    assert not guard.blocked("d", "10.0.0.2")
    clock[0] += 900.5
    assert not guard.blocked("d", "10.0.0.1")


def test_expired_failures_are_forgotten(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(login_guard.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(login_guard, "MAX_KEYS", 10)
    guard = LoginGuard(window=60)
    for i in range(8):
        guard.failed(f"robot{i}", f"10.0.0.{i}")
    clock[0] = 61
    guard.failed("dernier", "10.0.1.1")
    assert set(guard.failures) == {("login", "dernier"), ("address", "10.0.1.1")}


def test_unknown_login_costs_the_same_hash_as_a_known_one(monkeypatch):
    from datasette_auth_passwords.utils import hash_password

    seen = []
    real = login_guard.verify_password
    monkeypatch.setattr(login_guard, "verify_password", lambda pw, h: seen.append(h.split("$")[1]) or real(pw, h))
    accounts = {"ccas": hash_password("secret-secret", iterations=1000)}
    guard = LoginGuard()
    assert guard.check(accounts, "ccas", "secret-secret")
    assert not guard.check(accounts, "inconnu", "secret-secret")
    assert seen == ["1000", "1000"]


@pytest.mark.parametrize(("value", "expected"), [
    ("/annuaire/acteurs?categorie=CCAS", "/annuaire/acteurs?categorie=CCAS"), (None, "/"), ("", "/"),
    ("http://x.example/", "/"), ("//x.example", "/"), ("/\\x.example", "/"), ("annuaire", "/"),
])
def test_safe_next(value, expected):
    assert safe_next(value) == expected
