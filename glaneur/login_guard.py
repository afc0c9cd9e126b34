"""Password checks that tell an attacker nothing: throttled tries, one answer time for all logins.

Failed tries are counted in memory per login and per address over a sliding window; a login
or an address over its limit is refused, even with the right password, until the window has
moved on. An unknown login is checked against a dummy hash of the same cost as the real ones,
so the answer takes as long as for a known login.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import defaultdict, deque
from urllib.parse import urlsplit

from datasette_auth_passwords.utils import hash_password, verify_password

WINDOW = 15 * 60  # seconds
TRIES_PER_LOGIN = 5
TRIES_PER_ADDRESS = 20  # several colleagues may share an office's address
MAX_KEYS = 10_000  # logins and addresses remembered before the expired ones are dropped


class LoginGuard:
    def __init__(self, window: float = WINDOW, per_login: int = TRIES_PER_LOGIN,
                 per_address: int = TRIES_PER_ADDRESS):
        self.window, self.per_login, self.per_address = window, per_login, per_address
        self.failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()
        self.dummy: dict[int, str] = {}

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self.failures[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, login: str, address: str) -> int:
        """Minutes to wait before the next try (0 when a try is allowed)."""
        now = time.monotonic()
        with self.lock:
            waits = []
            for key, limit in ((("login", login.lower()), self.per_login), (("address", address), self.per_address)):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[-limit] + self.window - now)
            return math.ceil(max(waits) / 60) if waits else 0

    def failed(self, login: str, address: str) -> None:
        now = time.monotonic()
        with self.lock:
            self.failures[("login", login.lower())].append(now)
            self.failures[("address", address)].append(now)
            if len(self.failures) > MAX_KEYS:  # random logins must not fill the memory
                for key in [k for k in self.failures if not self._recent(k, now)]:
                    del self.failures[key]

    def succeeded(self, login: str, address: str) -> None:
        with self.lock:
            self.failures.pop(("login", login.lower()), None)

    def check(self, accounts: dict[str, str], login: str, password: str) -> bool:
        """True when the password is the login's; as slow for an unknown login as for a known one."""
        stored = accounts.get(login)
        if stored:
            return verify_password(password, stored)
        verify_password(password, self.dummy_for(accounts))
        return False

    def dummy_for(self, accounts: dict[str, str]) -> str:
        """A hash nobody's password matches, as costly as the accounts' (made once, at startup)."""
        iterations = 480_000
        for stored in accounts.values():
            parts = stored.split("$")
            if len(parts) == 4 and parts[1].isdigit():
                iterations = int(parts[1])
                break
        if iterations not in self.dummy:
            self.dummy[iterations] = hash_password("un mot de passe que personne n'a", iterations=iterations)
        return self.dummy[iterations]


def client_address(request) -> str:
    """The visitor's address; X-Forwarded-For only behind a proxy the operator declared
    (GLANEUR_BEHIND_PROXY=1), else anyone could pick the address their tries are counted under."""
    if os.environ.get("GLANEUR_BEHIND_PROXY") == "1":
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    client = request.scope.get("client") or ("?", 0)
    return str(client[0])


def safe_next(value: str | None, default: str = "/") -> str:
    """A path on this site to go back to after login; anything else (another site, `//host`) is refused."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value
