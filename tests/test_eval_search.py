"""`glaneur eval --recherche`: the judged queries of tests/eval/recherche.jsonl (docs/quality.md)."""

from __future__ import annotations

import json
import re

import pytest

from glaneur.search_eval import JUDGEMENTS, load_judgements, ndcg
from tests.support import glaneur

# Measured on the demo's offline crawl (docs/quality.md), minus a margin for noise.
FLOORS = {"dev": 0.90, "tenue": 0.85}
MAX_ZERO = 0  # every judged query has answers: none may show an empty page


def test_judgements_are_enough_graded_and_split():
    rows = load_judgements(JUDGEMENTS)
    assert len(rows) >= 40
    assert sum(r["partie"] == "tenue" for r in rows) >= 15
    assert len({r["requete"].lower() for r in rows}) == len(rows)
    for row in rows:
        assert row["pertinents"] and set(row["pertinents"].values()) <= {1, 2, 3}, row["requete"]


def test_ndcg_rewards_the_best_first_and_ignores_what_is_not_judged():
    grades = {"a": 3, "b": 1}
    assert ndcg(["a", "b"], grades) == pytest.approx(1.0)
    assert ndcg(["b", "a"], grades) < ndcg(["a", "x", "b"], grades) < 1.0
    assert ndcg(["x", "y"], grades) == 0.0


@pytest.fixture(scope="module")
def measured(offline_db) -> dict:
    result = glaneur("eval", "--recherche", "--db", str(offline_db), "--format", "json")
    return json.loads(result.stdout)


def test_eval_recherche_scores_both_parts_on_the_demo_database(measured):
    assert measured["today"] == "2026-11-20"
    assert {q["partie"] for q in measured["queries"]} == {"dev", "tenue"}
    for name, part in measured["parts"].items():
        assert part["ndcg5"] >= FLOORS[name], (name, part)
        assert part["zero"] <= MAX_ZERO, (name, part)
    assert all(q["top"] or q["zero"] for q in measured["queries"])


def test_eval_recherche_prints_a_french_table(offline_db):
    out = glaneur("eval", "--recherche", "--db", str(offline_db), "--sans-ecarts").stdout
    assert re.search(r"développement\s+30\s+\d,\d{3}\s+\d+ \(\d+ ?%\)", out), out
    assert "tenue à l'écart" in out
    assert "Requêtes de la partie" not in out  # --sans-ecarts: the table only


def test_eval_db_without_recherche_is_refused(offline_db):
    result = glaneur("eval", "--db", str(offline_db), check=False)
    assert result.returncode != 0 and "--recherche" in result.stderr
