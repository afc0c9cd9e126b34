"""`glaneur extract --explain`: why a page became what it became, in French.

For each field, the evidence that decided it (the words found, the rule, the runner-up), so an
operator sees why a page became « appel à projets, date limite 30 juin 2023 » — and, where the
page was ambiguous, that no value was preferred to a doubtful one.
"""

from __future__ import annotations

from normalizers.page_dates import NONE, DateDecision
from normalizers.resource import Analysis
from normalizers.types import TYPE_LABELS_FR

MAX_EVIDENCE = 8


def _date_line(label: str, decision: DateDecision, value: str | None) -> list[str]:
    if value:
        lines = [f"{label} : {value} — {decision.why}"]
        if decision.runner_up:
            lines.append(f"    autre candidate : {decision.runner_up}")
        return lines
    return [f"{label} : aucune — {decision.why}"]


def explain(analysis: Analysis) -> str:
    fields = analysis.fields
    decision = analysis.type_decision
    lines = [f"Titre retenu : « {fields['title']} »"]
    for line, why in analysis.title_skipped:
        lines.append(f"    ligne écartée : « {line} » ({why})" if line else f"    {why}")
    score = decision.scores.get(decision.slug, 0)
    lines += ["", f"Type : {TYPE_LABELS_FR[decision.slug]} ({decision.slug}) — {decision.rule}, score {score:g}"]
    runner = decision.runner_up
    if runner:
        lines.append(f"    deuxième : {TYPE_LABELS_FR[runner[0]]} (score {runner[1]:g})")
    kept = sorted((e for e in decision.evidence if e.slug == decision.slug and e.weight > 0), key=lambda e: -e.weight)
    for item in kept[:MAX_EVIDENCE]:
        lines.append(f"    {item.weight:+g}  {item.what}")
    if runner:
        against = sorted((e for e in decision.evidence if e.slug == runner[0] and e.weight > 0),
                         key=lambda e: -e.weight)
        for item in against[:3]:
            lines.append(f"    (pour {TYPE_LABELS_FR[runner[0]]} : {item.weight:+g}  {item.what})")
    lines += ["", "Dates lues dans la page :"]
    if not analysis.dates.evidence and not analysis.dates.dropped:
        lines.append("    aucune")
    for item in analysis.dates.evidence:
        role = item.role if item.role != NONE else "sans rôle marqué"
        lines.append(f"    - {item.describe()}" if item.role != NONE else
                     f"    - « {item.expression} » = {item.start.isoformat()} : {role}")
    for expression, why in analysis.dates.dropped:
        lines.append(f"    - « {expression} » écartée : {why} (aucune date plutôt qu'une date devinée)")
    lines.append("")
    published = fields["published"]
    lines.append(f"Date de publication : {published} — {analysis.published_why}" if published
                 else "Date de publication : aucune — la page n'en affiche pas")
    lines += _date_line("Date limite", analysis.deadline, fields["deadline"])
    span = None
    if fields["event_start"]:
        span = fields["event_start"] if fields["event_start"] == fields["event_end"] else \
            f"du {fields['event_start']} au {fields['event_end']}"
    lines += _date_line("Dates d'événement", analysis.event, span)
    lines += ["", "Territoires : " + (", ".join(
        [f"région {r}" for r in fields["regions"]] + [f"département {d}" for d in fields["departements"]])
        or "national (aucun territoire retenu)") + f" — portée {fields['scope']}"]
    for why in analysis.territory_why:
        lines.append(f"    {why}")
    if fields.get("location"):
        lines.append(f"Lieu : {fields['location']}")
    return "\n".join(lines)
