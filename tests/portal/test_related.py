"""The resource page's « Ressources liées », scored in memory (glaneur/related.py), are those the
former query chose.

The reference is the query the page ran before (every candidate read whole), kept here as the
specification; both run on the same generated resources, edge cases included (no territory,
NULL arrays, NULL dates, duplicated themes, a resource alone of its type)."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "datasette" / "plugins"))

from glaneur_portail import related_resources  # noqa: E402

# The columns the former query read for every candidate.
RELATED_COLUMNS = "id, title, type, published, deadline, event_start, themes, regions, departements"

REFERENCE = f"""
    with me as (select * from resources where id = :id),
    scored as (
      select r.id, r.title, r.type, r.published, r.deadline, r.event_start,
        (select count(*) from json_each(r.themes) t where t.value in (select value from json_each(me.themes)))
          as shared_themes,
        case when json_array_length(coalesce(r.departements, '[]')) = 0
                  and json_array_length(coalesce(me.departements, '[]')) = 0
                  and json_array_length(coalesce(r.regions, '[]')) = 0
                  and json_array_length(coalesce(me.regions, '[]')) = 0 then 1
             when exists (select 1 from json_each(r.departements) a join json_each(me.departements) b
                          on a.value = b.value) then 2
             when exists (select 1 from json_each(r.regions) a join json_each(me.regions) b
                          on a.value = b.value) then 1
             else 0 end as shared_territory,
        r.type = me.type as same_type
      from (select * from (select {RELATED_COLUMNS} from resources where type = (select type from me)
                           and id != :id order by published desc limit 2000)
            union
            select * from (select {RELATED_COLUMNS} from resources where id != :id
                           order by published desc limit 1000)) r, me)
    select * from scored where 3 * shared_themes + 2 * shared_territory + same_type >= 3
    order by 3 * shared_themes + 2 * shared_territory + same_type desc, published desc limit 6
"""
THEMES = ["distribution", "logistique", "nutrition-sante", "cooperation", "participation"]
TYPES = ["etude", "formation", "evenement", "actualite", "outil"]


def _resources(count: int) -> list[dict]:
    rng = random.Random(7)
    days = rng.sample(range(4000), count)  # distinct dates: the SQL order of equal ones is undefined
    rows = []
    for i, day in enumerate(days):
        deps = rng.sample(["13", "33", "59", "69", "75"], rng.choice([0, 0, 1, 2]))
        regions = sorted({{"13": "93", "33": "75", "59": "32", "69": "84", "75": "11"}[d] for d in deps}
                         | set(rng.sample(["53", "76"], rng.choice([0, 0, 1]))))
        themes = rng.sample(THEMES, rng.choice([0, 1, 2, 3]))
        if themes and rng.random() < 0.1:
            themes.append(themes[0])  # a repeated theme counts twice, as json_each counted it
        rows.append({
            "id": f"r{i:04d}", "title": f"Ressource {i}", "type": "barometre" if i == 5 else rng.choice(TYPES),
            "published": None if i % 97 == 3 else (date(2015, 1, 1) + timedelta(days=day)).isoformat(),
            "deadline": None, "event_start": None,
            "themes": None if i % 53 == 1 else json.dumps(themes),
            "regions": None if i % 41 == 2 else json.dumps(regions),
            "departements": None if i % 41 == 2 else json.dumps(deps),
        })
    return rows


def test_related_resources_are_those_the_sql_scoring_chose():
    conn = sqlite3.connect(":memory:")
    conn.execute(f"create table resources ({RELATED_COLUMNS})")
    resources = _resources(2500)  # more candidates than the 1,000 of any type
    conn.executemany(f"insert into resources values ({', '.join(':' + c for c in RELATED_COLUMNS.split(', '))})",
                     resources)
    conn.row_factory = sqlite3.Row
    compared = 0
    for resource in resources[::23] + [resources[5]]:
        expected = [dict(row) for row in conn.execute(REFERENCE, {"id": resource["id"]})]
        got = related_resources(conn, resource)
        assert got == expected, resource["id"]
        compared += bool(expected)
    assert compared > 50
