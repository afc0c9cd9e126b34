"""Editors correct and put forward resources from their pages, and each act is published at once.

Routes (editors only: the « éditeur » role, read from the accounts file at every request):
`/edition/ressources/<id>` (GET the form, POST a correction), `/edition/corrections/<n>/annuler`
(POST: undo), `/edition/ressources/<id>/pratique` (POST: qualify « pratique inspirante »),
`/edition/pratiques/<n>/retirer`, `/edition/ressources/<id>/une` (POST: put « À la une »),
`/edition/une/<n>/monter|descendre|retirer`, `/edition/a-la-une` (GET: the order). Public:
`/pratiques-inspirantes` (the criteria and the qualified resources).

Every write checks the role, goes through Datasette's CSRF check (asgi-csrf: the forms carry
`csrftoken`), is journalled in `edition.db` and then published at once: a copy of the served
database with the editors' data applied is swapped in (glaneur/corrections.py `republish`), so
the editor sees the result on the next request; each later build applies it again on top of
normalization.
"""

from __future__ import annotations

import asyncio
import json
import os
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from datasette import Response, hookimpl
from glaneur.corrections import (
    FIELDS,
    PUBLIC_TABLE,
    CorrectionError,
    all_corrections,
    clean,
    current_value,
    edition_db_path,
    in_force,
    open_edition_db,
    read_only,
    record,
    republish,
    taxonomy,
    undo,
)
from glaneur.roles import actor_has_role

DB = "glaneur"
ACTION = "glaneur-corriger"
EDITORS_ONLY = "Cette page est réservée aux éditeurs du portail (comptes ayant le rôle « éditeur »)."


def _public_path(datasette) -> Path:
    return Path(datasette.get_database(DB).path).resolve()


def _edition_path(datasette) -> Path:
    """GLANEUR_EDITION_DB, which `glaneur serve` sets beside the working database."""
    env = os.environ.get("GLANEUR_EDITION_DB")
    return Path(env) if env else edition_db_path(_public_path(datasette).parent.parent / "glaneur.db")


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    if action != ACTION:
        return None

    async def inner():
        return await asyncio.to_thread(actor_has_role, actor, "editeur")
    return inner


async def _page(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


async def _refuse(datasette, request) -> Response:
    """403 in French: log in (anonymous) or ask for the role (logged in without it)."""
    return await _page(datasette, request, "error.html",
                       {"status": 403, "title": "Accès réservé", "error": None, "reserve": EDITORS_ONLY}, 403)


async def _allowed(datasette, request) -> bool:
    return bool(request.actor) and await datasette.permission_allowed(request.actor, ACTION, default=False)


async def _resource(datasette, rid: str) -> dict | None:
    db = datasette.get_database(DB)
    rows = (await db.execute("select * from resources where id = :id", {"id": rid})).rows
    return dict(rows[0]) if rows else None


async def _principal_document(datasette, rid: str) -> str | None:
    row = (await datasette.get_database(DB).execute(
        "select document_id from resource_sources where resource_id = :id "
        "order by role != 'principale', role = 'pdf', document_id limit 1", {"id": rid})).first()
    return row[0] if row else None


def _choices() -> dict:
    """What the form offers: the taxonomy's slugs and labels, the regions of the COG."""
    from normalizers.territories import cog

    vocab = taxonomy()
    regions = sorted(cog().region_names.items(), key=lambda kv: kv[1])
    return {
        "type_choices": [(slug, spec["label"]) for slug, spec in vocab["types"].items()],
        "theme_choices": [(slug, spec["label"]) for slug, spec in vocab["themes"].items()],
        "audience_choices": [(slug, spec["label"]) for slug, spec in vocab["audiences"].items()],
        "region_choices": regions,
        "field_labels": {name: spec[0] for name, spec in FIELDS.items()},
    }


def form_values(resource: dict) -> dict:
    """The form's starting values: the resource as published (corrections included)."""
    values = {}
    for name in FIELDS:
        values.update(current_value(resource, name))
    values["departements_text"] = ", ".join(values.get("departements") or [])
    return values


def submitted(form: dict[str, list[str]]) -> dict[str, dict]:
    """Each group of fields as the form sent it, in the input form of `clean`."""
    one = {k: (v[0] if v else "") for k, v in form.items()}
    return {
        "type": {"type": one.get("type", "")},
        "themes": {"themes": form.get("themes", [])},
        "audiences": {"audiences": form.get("audiences", [])},
        "territoires": {"regions": form.get("regions", []), "departements": one.get("departements", "")},
        "deadline": {"deadline": one.get("deadline", "")},
        "evenement": {"event_start": one.get("event_start", ""), "event_end": one.get("event_end", "")},
        "location": {"location": one.get("location", "")},
        "summary": {"summary": one.get("summary", "")},
    }


def changes(resource: dict, form: dict[str, list[str]]) -> tuple[dict[str, tuple[dict, dict]], dict[str, str]]:
    """(group → (new value, value before)) for the groups the editor changed, and the errors by input."""
    found, errors = {}, {}
    for name, raw in submitted(form).items():
        before = clean_or_raw(name, current_value(resource, name))
        try:
            value = clean(name, raw)
        except CorrectionError as exc:
            errors[exc.field or name] = str(exc)
            continue
        if value != before:
            found[name] = (value, current_value(resource, name))
    return found, errors


def clean_or_raw(name: str, value: dict) -> dict:
    """The published value in cleaned form, to compare like with like (it may predate a rule)."""
    try:
        return clean(name, value)
    except CorrectionError:
        return value


def _form_state(form: dict[str, list[str]]) -> dict:
    """What the editor typed, to show it again beside the errors."""
    raw = submitted(form)
    values = {}
    for group in raw.values():
        values.update(group)
    values["departements_text"] = raw["territoires"]["departements"]
    values["raison"] = (form.get("raison") or [""])[0]
    return values


async def _corrections_for(datasette, rid: str) -> list[dict]:
    """Corrections in force of a resource, with who and why (editors only see this)."""
    def read():
        db = read_only(_edition_path(datasette))
        try:
            return in_force(all_corrections(db))
        finally:
            if db is not None:
                db.close()
    rows = await asyncio.to_thread(read)
    applied = await _applied(datasette, rid)
    ids = {a["correction_id"] for a in applied}
    return [{**r, "value_text": _value_text(r["field"], r["value"])} for r in rows if r["id"] in ids]


async def _applied(datasette, rid: str) -> list[dict]:
    db = datasette.get_database(DB)
    if not await db.table_exists(PUBLIC_TABLE):
        return []
    rows = (await db.execute(f"select * from {PUBLIC_TABLE} where resource_id = :id order by correction_id",
                             {"id": rid})).rows
    return [dict(r) for r in rows]


async def _publish(datasette) -> str | None:
    """Republish at once; None when done, else why it failed (the correction stays recorded)."""
    try:
        await asyncio.to_thread(republish, _public_path(datasette), _edition_path(datasette))
    except Exception as exc:  # noqa: BLE001 - the correction is stored: say so rather than fail
        return str(exc)
    follower = getattr(datasette, "_glaneur_follower", None)
    if follower is not None:
        follower.checked = 0.0  # the next request opens the new file (no second of the old one)
    return None


def _published_message(names: list[str], failure: str | None, verb: str) -> str:
    labels = ", ".join(FIELDS[n][0].lower() for n in names)
    if failure:
        return (f"Correction {verb} ({labels}) ; la publication immédiate a échoué ({failure}) : "
                "elle apparaîtra à la prochaine construction.")
    return f"Correction {verb} et publiée ({labels})."


async def correct(request, datasette):
    if not await _allowed(datasette, request):
        return await _refuse(datasette, request)
    rid = request.url_vars["rid"]
    resource = await _resource(datasette, rid)
    if resource is None:
        return await _page(datasette, request, "error.html", {"status": 404, "title": "Page introuvable",
                                                               "error": None}, 404)
    context = {"r": resource, **await _editor_context(datasette, request, rid, resource)}
    if request.method != "POST":
        return await _page(datasette, request, "correction.html", context)
    form = parse_qs((await request.post_body()).decode("utf-8"), keep_blank_values=True)
    found, errors = changes(resource, form)
    reason = (form.get("raison") or [""])[0]
    if not errors and not found:
        errors["type"] = "Aucun champ n'a changé : modifiez au moins une valeur avant d'enregistrer."
    if not " ".join(reason.split()):
        errors["raison"] = "Dites en une phrase pourquoi vous corrigez (obligatoire)."
    if errors:
        return await _page(datasette, request, "correction.html",
                           {**context, "values": _form_state(form), "errors": errors}, 400)
    document = await _principal_document(datasette, rid)
    author = request.actor["id"]

    def store() -> str | None:
        db = open_edition_db(_edition_path(datasette))
        try:
            for name, (value, before) in found.items():
                record(db, rid, document, name, value, before, author, reason)
            return None
        except CorrectionError as exc:
            return str(exc)
        finally:
            db.close()

    problem = await asyncio.to_thread(store)
    if problem:
        return await _page(datasette, request, "correction.html",
                           {**context, "values": _form_state(form), "errors": {"raison": problem}}, 400)
    failure = await _publish(datasette)
    datasette.add_message(request, _published_message(list(found), failure, "enregistrée"),
                          datasette.WARNING if failure else datasette.INFO)
    return Response.redirect(datasette.urls.row(DB, "resources", rid))


async def undo_correction(request, datasette):
    if request.method != "POST":
        return Response.text("Méthode non permise : envoyez le formulaire « Annuler ».", status=405)
    if not await _allowed(datasette, request):
        return await _refuse(datasette, request)
    cid = int(request.url_vars["cid"])
    form = parse_qs((await request.post_body()).decode("utf-8"), keep_blank_values=True)
    author = request.actor["id"]

    def apply():
        db = open_edition_db(_edition_path(datasette))
        try:
            return undo(db, cid, author, (form.get("raison") or [""])[0]), None
        except CorrectionError as exc:
            return None, str(exc)
        finally:
            db.close()

    row, error = await asyncio.to_thread(apply)
    if error:
        return await _page(datasette, request, "error.html",
                           {"status": 400, "title": "Annulation impossible", "error": error, "detail": None}, 400)
    failure = await _publish(datasette)
    datasette.add_message(request, _published_message([row["field"]], failure, "annulée"),
                          datasette.WARNING if failure else datasette.INFO)
    return Response.redirect(datasette.urls.row(DB, "resources", row["resource_id"]))


# -- Pratiques inspirantes and « À la une » ---------------------------------------------------

async def _features_for(datasette, rid: str) -> dict:
    """The public state of a resource (qualified? featured?) and, for editors, the rows to withdraw."""
    from glaneur.features import FEATURED_TABLE, PRACTICES_TABLE, practice_view

    db = datasette.get_database(DB)
    out: dict = {"pratique": None, "rang_une": None}
    if await db.table_exists(PRACTICES_TABLE):
        row = (await db.execute(f"select * from {PRACTICES_TABLE} where resource_id = :id", {"id": rid})).first()
        out["pratique"] = practice_view(dict(row)) if row else None
    if await db.table_exists(FEATURED_TABLE):
        row = (await db.execute(f"select rang from {FEATURED_TABLE} where resource_id = :id", {"id": rid})).first()
        out["rang_une"] = row[0] if row else None
    return out


async def _edition_rows_for(datasette, rid: str) -> dict:
    """The qualification and feature in force (edition.db) that apply to this resource now."""
    from glaneur.features import load_features

    docs = {r[0] for r in (await datasette.get_database(DB).execute(
        "select document_id from resource_sources where resource_id = :id", {"id": rid})).rows}
    features = await asyncio.to_thread(load_features, _edition_path(datasette))

    def mine(rows):
        found = [r for r in rows if r["document_id"] in docs or r["resource_id"] == rid]
        return found[-1] if found else None
    return {"pratique_edition": mine(features["pratiques"]), "une_edition": mine(features["une"])}


def _feature_context() -> dict:
    from glaneur.features import MAX_NOTE, criteria

    return {"criteres": criteria(), "note_max": MAX_NOTE}


async def _editor_context(datasette, request, rid: str, resource: dict) -> dict:
    """Everything the editors' blocks of a resource show (its page and /edition/ressources/<id>)."""
    return {"peut_corriger": True, "values": form_values(resource), "errors": {}, **_choices(),
            "corrections_en_vigueur": await _corrections_for(datasette, rid), **_feature_context(),
            **await _features_for(datasette, rid), **await _edition_rows_for(datasette, rid),
            "pratique_errors": {}, "pratique_values": {}}


async def _refusal(request, datasette) -> Response | None:
    """A write is a POST of an editor: anything else is answered here."""
    if request.method != "POST":
        return Response.text("Méthode non permise : envoyez le formulaire.", status=405)
    if not await _allowed(datasette, request):
        return await _refuse(datasette, request)
    return None


async def _editorial_write(request, datasette, work, message: str, back) -> Response:
    """POST only, editors only; `work(db, author, form)` writes in edition.db, then all is republished."""
    refused = await _refusal(request, datasette)
    if refused is not None:
        return refused
    form = parse_qs((await request.post_body()).decode("utf-8"), keep_blank_values=True)
    author = request.actor["id"]

    def apply():
        db = open_edition_db(_edition_path(datasette))
        try:
            return work(db, author, form), None
        except CorrectionError as exc:
            return None, exc
        finally:
            db.close()

    row, error = await asyncio.to_thread(apply)
    if error is not None:
        return await _page(datasette, request, "error.html",
                           {"status": 400, "title": "Action impossible", "error": str(error), "detail": None}, 400)
    failure = await _publish(datasette)
    datasette.add_message(request, message + (f" ; la publication immédiate a échoué ({failure}) : ce sera à la "
                                               "prochaine construction." if failure else " et publié."),
                          datasette.WARNING if failure else datasette.INFO)
    return Response.redirect(back(row) if callable(back) else back)


async def qualify_practice(request, datasette):
    from glaneur.features import qualify

    refused = await _refusal(request, datasette)
    if refused is not None:
        return refused
    rid = request.url_vars["rid"]
    resource = await _resource(datasette, rid)
    if resource is None:
        return await _page(datasette, request, "error.html", {"status": 404, "error": None}, 404)
    form = parse_qs((await request.post_body()).decode("utf-8"), keep_blank_values=True)
    chosen, note = form.get("criteres", []), (form.get("note") or [""])[0]
    document = await _principal_document(datasette, rid)
    author = request.actor["id"]

    def apply():
        db = open_edition_db(_edition_path(datasette))
        try:
            return qualify(db, rid, document, chosen, note, author), None
        except CorrectionError as exc:
            return None, exc
        finally:
            db.close()

    row, error = await asyncio.to_thread(apply)
    if error is not None:  # the form again, with what was typed and the error beside its field
        context = await _editor_context(datasette, request, rid, resource)
        context.update(r=resource, pratique_errors={error.field or "note": str(error)},
                       pratique_values={"criteres": chosen, "note": note})
        return await _page(datasette, request, "correction.html", context, 400)
    failure = await _publish(datasette)
    datasette.add_message(request, "Pratique inspirante enregistrée" + (
        f" ; la publication immédiate a échoué ({failure})." if failure else " et publiée."),
        datasette.WARNING if failure else datasette.INFO)
    return Response.redirect(datasette.urls.row(DB, "resources", rid))


async def withdraw_practice(request, datasette):
    from glaneur.features import withdraw

    return await _editorial_write(
        request, datasette, lambda db, author, form: withdraw(db, "pratiques", int(request.url_vars["n"]), author),
        "Qualification « pratique inspirante » retirée", lambda row: datasette.urls.row(DB, "resources",
                                                                                          row["resource_id"]))


async def feature_resource(request, datasette):
    from glaneur.features import feature

    refused = await _refusal(request, datasette)
    if refused is not None:
        return refused
    rid = request.url_vars["rid"]
    if await _resource(datasette, rid) is None:
        return await _page(datasette, request, "error.html", {"status": 404, "error": None}, 404)
    document = await _principal_document(datasette, rid)
    return await _editorial_write(request, datasette, lambda db, author, form: feature(db, rid, document, author),
                                  "Ressource mise à la une", datasette.urls.row(DB, "resources", rid))


async def change_featured(request, datasette):
    from glaneur.features import move, withdraw

    n, verb = int(request.url_vars["n"]), request.url_vars["verbe"]
    back = (request.headers.get("referer") or "").endswith("/edition/a-la-une")

    def work(db, author, form):
        if verb == "retirer":
            return withdraw(db, "une", n, author)
        return move(db, n, -1 if verb == "monter" else 1, author)
    messages = {"retirer": "Ressource retirée de la une", "monter": "Ordre de la une changé",
                "descendre": "Ordre de la une changé"}
    return await _editorial_write(
        request, datasette, work, messages[verb],
        lambda row: datasette.urls.path("/edition/a-la-une") if back or verb != "retirer"
        else datasette.urls.row(DB, "resources", row["resource_id"]))


async def featured_page(request, datasette):
    """`/edition/a-la-une`: the editors order the resources « À la une »."""
    from glaneur.features import load_features

    if not await _allowed(datasette, request):
        return await _refuse(datasette, request)
    features = await asyncio.to_thread(load_features, _edition_path(datasette))
    db = datasette.get_database(DB)
    rows = []
    for u in features["une"]:
        found = (await db.execute("select id, title, type from resources where id = :id",
                                  {"id": u["resource_id"]})).first()
        rows.append({**u, "title": found["title"] if found else None, "present": bool(found)})
    return await _page(datasette, request, "a_la_une.html", {"une": rows})


async def practices_page(request, datasette):
    """`/pratiques-inspirantes`: the published criteria, then every qualified resource."""
    from glaneur.features import PRACTICES_TABLE, criteria, practice_view

    db = datasette.get_database(DB)
    practices = []
    if await db.table_exists(PRACTICES_TABLE):
        rows = await db.execute(
            f"select p.*, r.title, r.type, r.summary, r.published, r.organisations, r.regions, r.departements, "
            f"r.themes from {PRACTICES_TABLE} p join resources r on r.id = p.resource_id "
            f"order by p.qualifie_le desc, r.title, r.id")
        practices = [practice_view(dict(r)) for r in rows.rows]
    return await _page(datasette, request, "pratiques.html", {"criteres": criteria(), "pratiques": practices})


# -- Proposals of partners ---------------------------------------------------------------------

def _type_choices() -> list[tuple[str, str]]:
    return [(slug, spec["label"]) for slug, spec in taxonomy()["types"].items()]


async def propose(request, datasette):
    """`/proposer` (a resource) and `/proposer-une-source` (a partner's site or feed): public
    forms; a proposal goes to the moderation queue, never to the portal."""
    from glaneur.contributions import ANSWER, ContributionError, clean_proposal, submit
    from glaneur.login_guard import client_address

    nature = "source" if request.path.endswith("-une-source") else "ressource"
    context = {"type_choices": _type_choices(), "values": {}, "errors": {}, "nature": nature,
               "action": request.path}
    if request.method != "POST":
        return await _page(datasette, request, "proposer.html", context)
    form = {k: v[0] for k, v in parse_qs((await request.post_body()).decode("utf-8"), keep_blank_values=True).items()}
    context["values"] = form
    if form.get("site_web"):  # the honeypot: people never see it, robots fill it
        return await _page(datasette, request, "proposer.html", {**context, "sent": ANSWER})
    try:
        proposal = clean_proposal(form, nature)
    except ContributionError as exc:
        return await _page(datasette, request, "proposer.html", {**context, "errors": exc.errors}, 400)

    def store():
        db = open_edition_db(_edition_path(datasette))
        try:
            submit(db, proposal, client_address(request))
            return None
        except ContributionError as exc:
            return exc
        finally:
            db.close()

    error = await asyncio.to_thread(store)
    if error is not None:
        return await _page(datasette, request, "proposer.html", {**context, "errors": {error.field: str(error)}}, 429)
    return await _page(datasette, request, "proposer.html", {**context, "values": {}, "sent": ANSWER})


async def proposals_page(request, datasette):
    """`/edition/propositions`: the moderation queue, then what was decided."""
    if not await _allowed(datasette, request):
        return await _refuse(datasette, request)

    def read():
        db = read_only(_edition_path(datasette))
        try:
            if db is None or not db["propositions"].exists():
                return []
            return list(db.query("select id, url, type, description, nom, created, statut, decided_by, decided_at, "
                                 "raison, coalesce(nature, 'ressource') as nature from propositions "
                                 "order by statut != 'en_attente', id desc"))
        finally:
            if db is not None:
                db.close()
    rows = await asyncio.to_thread(read)
    return await _page(datasette, request, "propositions.html", {"propositions": rows, "type_labels": dict(
        _type_choices())})


async def proposal_page(request, datasette):
    """`/edition/propositions/<n>`: one proposal and what Glaneur extracts from its URL."""
    from glaneur.contributions import ContributionError, discover_source, fetch_document, get, preview

    if not await _allowed(datasette, request):
        return await _refuse(datasette, request)
    n = int(request.url_vars["n"])

    def work():
        db = open_edition_db(_edition_path(datasette))
        try:
            row = get(db, n)
        except ContributionError as exc:
            return None, None, str(exc)
        finally:
            db.close()
        if row["statut"] != "en_attente":
            return row, None, None
        try:
            if row.get("nature") == "source":
                return row, discover_source(row["url"]), None
            return row, preview(fetch_document(row["url"])), None
        except ContributionError as exc:
            return row, None, str(exc)

    row, extracted, problem = await asyncio.to_thread(work)
    if row is None:
        return await _page(datasette, request, "error.html", {"status": 404, "error": None}, 404)
    return await _page(datasette, request, "proposition.html", {
        "p": row, "apercu": extracted, "probleme": problem, "type_labels": dict(_type_choices())})


async def decide_proposal(request, datasette):
    from glaneur.contributions import (
        ContributionError,
        decide,
        discover_source,
        draft_registry_path,
        draft_source,
        fetch_document,
        get,
        notify,
    )
    from glaneur.scaffold import ScaffoldError
    from schedules.digest import portal_url
    from schedules.mailer import MailerError

    refused = await _refusal(request, datasette)
    if refused is not None:
        return refused
    n, accepted = int(request.url_vars["n"]), request.url_vars["verbe"] == "accepter"
    form = parse_qs((await request.post_body()).decode("utf-8"), keep_blank_values=True)
    author = request.actor["id"]

    def work():
        db = open_edition_db(_edition_path(datasette))
        try:
            row = get(db, n)
            if row["statut"] != "en_attente" or not accepted:
                document = None  # decide() says it was already decided, or needs a reason
            elif row.get("nature") == "source":  # a draft registry entry for the operator
                found = discover_source(row["url"])
                document = draft_source(row, found, author, draft_registry_path(_edition_path(datasette)))
            else:
                document = fetch_document(row["url"])
            return decide(db, n, author, accepted, (form.get("raison") or [""])[0], document), None
        except (ContributionError, ScaffoldError) as exc:
            return None, str(exc)
        finally:
            db.close()

    row, error = await asyncio.to_thread(work)
    if error:
        return await _page(datasette, request, "error.html",
                           {"status": 400, "title": "Décision impossible", "error": error, "detail": None}, 400)
    try:
        await asyncio.to_thread(notify, row, accepted, portal_url())
        told = "le partenaire en est averti par courriel"
    except (MailerError, OSError) as exc:
        told = f"le courriel au partenaire n'a pas pu partir ({exc}) : écrivez-lui à {row['email']}"
    verdict = "refusée"
    if accepted and row.get("nature") == "source":
        verdict = (f"acceptée : brouillon « {row['document'] and json.loads(row['document'])['id']} » écrit dans "
                   "sources-proposees.yaml pour l'exploitant (glaneur sources proposees)")
    elif accepted:
        verdict = "acceptée : elle entrera dans la prochaine construction"
    datasette.add_message(request, f"Proposition {verdict} ; {told}.",
                          datasette.INFO if told.startswith("le partenaire") else datasette.WARNING)
    return Response.redirect(datasette.urls.path("/edition/propositions"))


@hookimpl
def register_routes():
    return [
        (r"^/edition/ressources/(?P<rid>[^/]+)$", correct),
        (r"^/edition/corrections/(?P<cid>\d+)/annuler$", undo_correction),
        (r"^/edition/ressources/(?P<rid>[^/]+)/pratique$", qualify_practice),
        (r"^/edition/pratiques/(?P<n>\d+)/retirer$", withdraw_practice),
        (r"^/edition/ressources/(?P<rid>[^/]+)/une$", feature_resource),
        (r"^/edition/une/(?P<n>\d+)/(?P<verbe>monter|descendre|retirer)$", change_featured),
        (r"^/edition/a-la-une$", featured_page),
        (r"^/pratiques-inspirantes$", practices_page),
        (r"^/proposer$", propose),
        (r"^/proposer-une-source$", propose),
        (r"^/edition/propositions$", proposals_page),
        (r"^/edition/propositions/(?P<n>\d+)$", proposal_page),
        (r"^/edition/propositions/(?P<n>\d+)/(?P<verbe>accepter|refuser)$", decide_proposal),
    ]


async def featured_for_home(datasette) -> list[dict]:
    """The resources « À la une », in the editors' order, for the home page."""
    from glaneur.features import FEATURED_TABLE

    db = datasette.get_database(DB)
    if not await db.table_exists(FEATURED_TABLE):
        return []
    rows = await db.execute(
        f"select r.*, u.rang from {FEATURED_TABLE} u join resources r on r.id = u.resource_id order by u.rang")
    return [dict(r) for r in rows.rows]


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    """The resource page: what the team corrected (for all), the corrections and the form (editors);
    the home page: the resources « À la une »."""
    if template == "index.html" and DB in datasette.databases:
        async def home():
            return {"a_la_une": await featured_for_home(datasette)}
        return home
    if view_name != "row" or table != "resources" or database != DB or request is None:
        return {}

    async def inner():
        pk = request.url_vars.get("pks")
        if not pk:
            return {}
        rid = pk.split(",")[0].replace("~2E", ".")
        applied = await _applied(datasette, rid)
        extra = {"corrections_publiques": applied,
                 "champs_corriges": sorted({a["libelle"] for a in applied}),
                 "corrige_le": max((a["corrige_le"] for a in applied), default=None)}
        extra.update(await _features_for(datasette, rid))
        from glaneur.contributions import TABLE as PROPOSED

        db = datasette.get_database(DB)
        if await db.table_exists(PROPOSED):
            extra["proposee"] = [dict(r) for r in (await db.execute(
                f"select propose_par, accepte_le from {PROPOSED} where resource_id = :id", {"id": rid})).rows]
        if await _allowed(datasette, request):
            resource = await _resource(datasette, rid)
            if resource is not None:
                extra.update(await _editor_context(datasette, request, rid, resource))
        return extra
    return inner


@cache
def _labels() -> dict[str, dict[str, str]]:
    from glaneur.portal import label_rows

    labels: dict[str, dict[str, str]] = {}
    for row in label_rows():
        labels.setdefault(row["colonne"], {})[row["code"]] = row["libelle"]
    return labels


def _value_text(field: str, value: dict) -> str:
    """A correction's value in words, for the editors' list."""
    labels = _labels()
    parts = []
    for column, item in value.items():
        if column == "scope":
            continue
        items = item if isinstance(item, list) else [item]
        if column in ("deadline", "event_start", "event_end"):
            from schedules.frenchtime import fr_date

            items = [fr_date(i) for i in items if i]
        words = [labels.get("type" if column == "type" else column, {}).get(str(i), str(i)) for i in items if i]
        parts.append(", ".join(words) or "aucun(e)")
    return " ; ".join(parts)

