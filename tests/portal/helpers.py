"""HTTP helpers for portal tests: a real client, and logging in through the real login form."""

from __future__ import annotations

import re

import httpx


def login(base: str, username: str, password: str) -> httpx.Client:
    """A client holding the `ds_actor` cookie of a successful login on /-/login."""
    client = httpx.Client(base_url=base, timeout=20)
    form = client.get("/-/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', form.text).group(1)
    response = client.post("/-/login", data={"username": username, "password": password, "csrftoken": token})
    assert response.status_code == 302, response.text
    assert "ds_actor" in client.cookies
    return client
