"""Which requests the page cache may answer, and what its key and ETag depend on."""

from __future__ import annotations

from glaneur.response_cache import ResponseCache, cacheable_request, etag, matches, request_key


def scope(path: str, query: bytes = b"", method: str = "GET", headers: list | None = None) -> dict:
    return {"type": "http", "method": method, "path": path, "query_string": query, "scheme": "http",
            "headers": headers or [(b"host", b"portail.example")]}


def test_only_public_pages_of_the_build_are_kept():
    for path in ("/", "/recherche", "/fiches", "/fiches/approvisionnement", "/glaneur", "/glaneur/resources",
                 "/glaneur/resources/b0000001", "/glaneur/appels_ouverts", "/glaneur/resources.atom"):
        assert cacheable_request(scope(path)), path
    for path in ("/etat-des-sources", "/-/login", "/abonnement", "/preferences", "/annuaire/acteurs",
                 "/lettre.atom", "/desabonnement", "/glaneur.db", "/static/carte.js"):
        assert not cacheable_request(scope(path)), path
    assert not cacheable_request(scope("/glaneur", b"sql=select+date('now')"))
    assert not cacheable_request(scope("/glaneur/resources", b"_trace=1"))
    assert not cacheable_request(scope("/", method="POST"))
    assert not cacheable_request(scope("/", method="HEAD"))


def test_key_and_etag_follow_cookies_host_build_and_code():
    anonymous = request_key(scope("/recherche", b"q=aide"))
    logged_in = request_key(scope("/recherche", b"q=aide", headers=[(b"host", b"portail.example"),
                                                                   (b"cookie", b"ds_actor=abc")]))
    other_host = request_key(scope("/recherche", b"q=aide", headers=[(b"host", b"autre.example")]))
    assert len({anonymous, logged_in, other_host}) == 3
    assert anonymous == request_key(scope("/recherche", b"q=aide"))
    tag = etag("glaneur=abc", "code1", anonymous)
    assert tag != etag("glaneur=def", "code1", anonymous) != etag("glaneur=abc", "code2", anonymous)
    assert matches(tag.encode(), tag) and matches(b'"x", ' + tag.encode(), tag) and matches(b"*", tag)
    assert not matches(b'W/"autre"', tag) and not matches(None, tag)


def test_least_recently_used_pages_leave_first():
    cache = ResponseCache(max_bytes=10)
    cache.put(b"a", 200, [], b"12345")
    cache.put(b"b", 200, [], b"12345")
    assert cache.get(b"a") is not None  # a is now the most recent
    cache.put(b"c", 200, [], b"12345")
    assert cache.get(b"b") is None and cache.get(b"a") is not None and cache.get(b"c") is not None
    cache.put(b"d", 200, [], b"x" * 11)  # larger than the whole cache: not kept
    assert cache.get(b"d") is None and cache.size == 10
