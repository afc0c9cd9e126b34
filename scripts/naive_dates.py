"""The naive baseline the issue measured Glaneur against, on any folder of labelled cases.

`dateparser.search.search_dates` on the text: the deadline of a call is the first date found
after « date limite / jusqu'au / avant le / clôture », otherwise the first date; the start (and
end) of an event or training is the first date found. The expected type is given to it, which
flatters it: Glaneur has to find the type too.

    python scripts/naive_dates.py tests/eval/dev tests/eval/heldout
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from dateparser.search import search_dates

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from glaneur.eval_cases import read_labels  # noqa: E402

CUE = re.compile(r"(date limite|jusqu'au|jusqu’au|avant le|cl[ôo]ture)", re.IGNORECASE)
SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}


def first_date(text: str) -> str | None:
    try:
        found = search_dates(text, languages=["fr"], settings=SETTINGS)
    except Exception:  # dateparser raises on some inputs
        return None
    return found[0][1].date().isoformat() if found else None


def naive(text: str, kind: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {"deadline": None, "event_start": None, "event_end": None}
    if kind == "appel_a_projets":
        cue = CUE.search(text)
        out["deadline"] = (first_date(text[cue.end():cue.end() + 80]) if cue else None) or first_date(text)
    elif kind in ("evenement", "formation"):
        out["event_start"] = out["event_end"] = first_date(text)
    return out


def main(folders: list[str]) -> None:
    for folder in folders:
        right = counted = invented = cases = 0
        for label in read_labels(Path(folder)):
            cases += 1
            text = (Path(folder) / label["file"]).read_text(encoding="utf-8")
            expected = label["expected"]
            got = naive(text, expected["type"])
            for name, value in got.items():
                want = expected.get(name)
                if want is None and value is None:
                    continue
                counted += 1
                right += want == value
                invented += want is None
        print(f"{folder} : {right}/{counted} dates exactes ({right / max(1, counted):.2f}), "
              f"{100 * invented / max(1, cases):.1f} dates inventées pour 100 pages, {cases} cas")


if __name__ == "__main__":
    main(sys.argv[1:] or [str(ROOT / "tests" / "eval" / "dev"), str(ROOT / "tests" / "eval" / "heldout")])
