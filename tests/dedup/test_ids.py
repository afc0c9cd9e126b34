"""Stable ids: votes of keys, aliases for merged resources."""

from dedup.ids import assign_ids, new_id


def test_new_clusters_get_hash_of_smallest_url_key():
    ids, aliases = assign_ids([{"https://a.fr/x", "doc:1"}], {})
    assert ids == [new_id("https://a.fr/x")] and aliases == {}


def test_a_new_source_joining_keeps_the_id():
    known = {"https://a.fr/x": "R1", "doc:1": "R1"}
    ids, _ = assign_ids([{"https://a.fr/x", "doc:1", "https://b.fr/y", "doc:2"}], known)
    assert ids == ["R1"]


def test_merge_keeps_the_larger_and_aliases_the_other():
    known = {"doc:1": "R1", "doc:2": "R1", "doc:3": "R2"}
    ids, aliases = assign_ids([{"doc:1", "doc:2", "doc:3"}], known)
    assert ids == ["R1"] and aliases == {"R2": "R1"}


def test_split_keeps_the_id_with_the_majority():
    known = {"doc:1": "R1", "doc:2": "R1", "doc:3": "R1", "https://a.fr/x": "R1"}
    ids, aliases = assign_ids([{"doc:3"}, {"doc:1", "doc:2", "https://a.fr/x"}], known)
    assert ids[1] == "R1" and ids[0] != "R1" and aliases == {}
