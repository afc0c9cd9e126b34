"""`glaneur dedup merge|split|explain` on a real database."""

from click.testing import CliRunner

from glaneur.cli import main
from tests.dedup.builddb import make_doc


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_split_then_explain(demo):
    demo.add(make_doc("p1", "dgcs", "Lancement du programme", url="https://gouv.fr/p"),
             make_doc("p2", "france-pat", "Relais du programme", url="https://www.gouv.fr/p/"))
    demo.build()
    rid = demo.resource_of("p1")
    result = run("dedup", "explain", rid, "--db", str(demo.path))
    assert result.exit_code == 0 and "même URL canonique" in result.output
    result = run("dedup", "split", rid, "p2", "--auteur", "Camille", "--db", str(demo.path))
    assert result.exit_code == 0 and "p1 et p2" in result.output
    demo.build()
    assert demo.resource_of("p1") != demo.resource_of("p2")
    result = run("dedup", "explain", "p2", "--db", str(demo.path))
    assert "séparation p1 / p2 par Camille" in result.output


def test_unknown_id_is_a_french_error(demo):
    demo.build()
    result = CliRunner().invoke(main, ["dedup", "merge", "nope", "nada", "--db", str(demo.path)])
    assert result.exit_code != 0 and "Identifiant inconnu" in result.output
