"""Series: editions linked, never merged."""

from dedup.series import SeriesInput, detect_series


def test_yearly_barometer_is_a_series_with_latest_last():
    items = [SeriesInput(f"r{y}", f"Baromètre de la pauvreté Ipsos / Secours populaire {y}", "barometre",
                         "Secours populaire", f"{y}-09-10") for y in (2024, 2022, 2023)]
    items.append(SeriesInput("other", "Baromètre de la pauvreté Ipsos / Secours populaire 2024", "barometre",
                             "Autre organisation", "2024-09-10"))
    (series,) = detect_series(items)
    assert [e for e, _ in series.editions] == [2022, 2023, 2024]
    assert series.latest_resource_id == "r2024"
    assert series.title == "Baromètre de la pauvreté Ipsos / Secours populaire"


def test_numbered_editions_are_dated_by_publication_and_no_series_of_one():
    items = [SeriesInput("a", "16e baromètre de la pauvreté Ipsos / Secours populaire", "barometre", "SPF",
                         "2022-09-08"),
             SeriesInput("b", "19e baromètre de la pauvreté et de la précarité Ipsos / Secours populaire français "
                              "– édition 2025", "barometre", "SPF", "2025-09-11"),
             SeriesInput("c", "Étude unique 2024", "etude", "SPF", None)]
    (series,) = detect_series(items)
    assert series.editions == ((2022, "a"), (2025, "b"))
    assert series.title.startswith("Baromètre de la pauvreté et de la précarité Ipsos")


def test_undated_ordinals_and_other_organisations():
    items = [SeriesInput("a", "3e Rencontres de l'alimentation solidaire", "evenement", "Ansa", None),
             SeriesInput("b", "4e Rencontres de l'alimentation solidaire", "evenement", "Ansa", None),
             SeriesInput("c", "5e Rencontres de l'alimentation solidaire", "evenement", "Autre", None)]
    (series,) = detect_series(items)
    assert series.editions == ((3, "a"), (4, "b"))
