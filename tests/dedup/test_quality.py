"""Quality gate: precision and recall on the labelled pairs must stay above their floors."""

from tests.dedup.quality import evaluate, load_pairs

PRECISION_FLOOR = 0.98
RECALL_FLOOR = 0.90


def test_labelled_set_is_large_and_hard_enough():
    pairs = load_pairs()
    hard = [p for p in pairs if p["label"] == "different" and p["category"] != "sans_rapport"]
    assert len(pairs) >= 150
    assert len(hard) >= len(pairs) / 3
    assert {p["category"] for p in hard} >= {"edition_annuelle", "serie_numerotee", "titre_generique",
                                             "evenement_et_bilan"}


def test_precision_and_recall_floors():
    result = evaluate()
    assert result["precision"] >= PRECISION_FLOOR, result["errors"]
    assert result["recall"] >= RECALL_FLOOR, result["errors"]
