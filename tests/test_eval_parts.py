"""The evaluation by parts: the dev and held-out parts are well formed and modelled on real pages,
`glaneur eval --dir` measures any folder, `--verifier` names bad lines in French, and
`glaneur extract --explain` says why each field came out as it did."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from glaneur.cli import main
from glaneur.eval_cases import check_folder, read_labels
from glaneur.evaluate import PARTS, load_cases, score_cases

TYPES = ("etude", "barometre", "appel_a_projets", "formation", "evenement", "bonne_pratique", "outil", "actualite")


def _model(url: str) -> str:
    return url.rstrip("/").replace("http://", "https://").replace("://www.", "://")


@pytest.mark.parametrize(("part", "cases", "per_type", "departements"), [
    ("dev", 240, 25, 40),
    ("heldout", 80, 10, 30),
])
def test_parts_are_well_formed_and_cover_the_country(part, cases, per_type, departements):
    folder = PARTS[part]
    assert check_folder(folder) == []
    labels = read_labels(folder)
    assert len(labels) >= cases
    assert len({label["id"] for label in labels}) == len(labels)
    counts = Counter(label["expected"]["type"] for label in labels)
    assert set(counts) == set(TYPES) and min(counts.values()) >= per_type, counts
    deps = {d for label in labels for d in label["expected"]["departements"]}
    assert len(deps) >= departements
    assert deps & {"971", "972", "973", "974", "976"} and deps & {"2A", "2B"}
    assert any(not label["expected"]["departements"] and not label["expected"]["regions"] for label in labels)
    assert all(label.get("model_url", "").startswith("http") for label in labels)


def test_no_page_models_both_a_dev_case_and_a_held_out_case():
    dev = {_model(label["model_url"]) for label in read_labels(PARTS["dev"])}
    held = {_model(label["model_url"]) for label in read_labels(PARTS["heldout"])}
    assert not dev & held


def test_scores_do_not_depend_on_today():
    cases = load_cases(PARTS["heldout"])[:30]
    early, late = score_cases(cases, date(2020, 1, 1)), score_cases(cases, date(2031, 6, 1))
    assert early["scores"] == late["scores"]


def _case(folder: Path, name: str, text: str, expected: dict, url: str = "https://exemple.org/agenda/x") -> dict:
    (folder / "docs").mkdir(exist_ok=True)
    (folder / "docs" / f"{name}.txt").write_text(text, "utf-8")
    base = {"type": "actualite", "regions": [], "departements": [], "published": None, "deadline": None,
            "event_start": None, "event_end": None}
    return {"id": name, "file": f"docs/{name}.txt", "url": url, "model_url": url, "kind": "page",
            "synthetic": True, "site": "association", "traps": [], "notes": "cas de test",
            "expected": {**base, **expected}}


def test_eval_dir_measures_an_operator_s_own_folder(tmp_path):
    cases = [
        _case(tmp_path, "a1", "Appel à projets : épiceries solidaires du Gard\n\nDate limite de dépôt : "
              "30 juin 2023.\nQui peut candidater ? Les associations du Gard (30).\n",
              {"type": "appel_a_projets", "regions": ["76"], "departements": ["30"], "deadline": "2023-06-30"},
              "https://exemple.org/appels-a-projets/epiceries"),
        _case(tmp_path, "a2", "Une note sans date\n\nLe 12 mars dernier, les bénévoles ont fait le bilan.\n",
              {"type": "actualite"}),
    ]
    (tmp_path / "labels-1.jsonl").write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases), "utf-8")
    result = CliRunner().invoke(main, ["eval", "--dir", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    part = next(iter(json.loads(result.output)["parts"].values()))
    assert part["documents"] == 2
    assert part["scores"]["deadline"] == 1.0 and part["scores"]["invented_dates"] == 0.0
    table = CliRunner().invoke(main, ["eval", "--dir", str(tmp_path)])
    assert "Date limite (exacte)" in table.output and "table de confusion" in table.output


def test_verifier_names_the_bad_line_in_french(tmp_path):
    bad = _case(tmp_path, "b1", "Titre\n\nTexte.\n", {"type": "webinaire", "departements": ["99"]})
    (tmp_path / "labels-1.jsonl").write_text(json.dumps(bad) + "\n{pas du json\n", "utf-8")
    result = CliRunner().invoke(main, ["eval", "--verifier", str(tmp_path)])
    assert result.exit_code != 0
    assert "ligne 2" in result.output and "JSON" in result.output
    (tmp_path / "labels-1.jsonl").write_text(json.dumps(bad) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["eval", "--verifier", str(tmp_path)])
    assert result.exit_code != 0 and "webinaire" in result.output and "99" in result.output


def test_explain_says_why_a_call_closes_when_it_does(tmp_path):
    page = tmp_path / "aap.txt"
    page.write_text("Accepter les cookies\nAppel à projets « Mieux manger pour tous » 2023\n"
                    "Publié le 3 avril 2023\nCalendrier : du 03/04/2023 au 30/06/2023\n"
                    "Qui peut candidater ? Les associations d'aide alimentaire de l'Hérault (34).\n", "utf-8")
    result = CliRunner().invoke(main, ["extract", str(page), "--url",
                                       "https://www.herault.gouv.fr/appels-a-projets/mieux-manger", "--explain"])
    assert result.exit_code == 0, result.output
    resource = json.loads(result.output[:result.output.index("\n}") + 2])
    assert resource["type"] == "appel_a_projets" and resource["deadline"] == "2023-06-30"
    assert resource["published"] == "2023-04-03" and resource["departements"] == ["34"]
    assert "Date limite : 2023-06-30" in result.output and "fenêtre de dépôt" in result.output
    assert "deuxième" in result.output and "Titre retenu" in result.output
