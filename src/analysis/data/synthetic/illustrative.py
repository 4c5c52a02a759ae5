"""Illustrative legislation and Work Plan rows (no real country's law or progress)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core import reference
from analysis.data.synthetic.draw import pick_index


def draw_legislation(rng: np.random.Generator) -> pd.DataFrame:
    criteria = reference.criteria()  # a missing reference file stops with its name
    ids = list(criteria.index)
    kinds = criteria["value_type"].to_dict()
    special = {"party_protocol": (95, 5, 0), "humanitarian_exemption": (20, 20, 60),
               "non_criminalization_migrants": (55, 25, 20), "sea_smuggling_authority": (45, 20,
                                                                                          35)}
    rows = []
    for country in sorted(reference.CRM_MEMBERS):
        penalty = int(rng.choice([3, 5, 6, 8, 10, 12, 15, 20]))
        for criterion in ids:
            if kinds.get(criterion) == "number":
                value = str(penalty)
            elif criterion == "serious_crime":
                value = "yes" if penalty >= 4 else "no"
            else:
                value = ("yes", "partial", "no")[pick_index(rng, 1, special.get(criterion,
                                                                           (60, 25, 15)))[0]]
            reviewed = np.datetime64("2024-01-01") + int(rng.integers(0, 366))
            rows.append((country, country, criterion, value, "Illustrative", "", "",
                         str(reviewed), "illustrative"))
    return pd.DataFrame(rows, columns=["reporting_country", "country", "criterion_id", "value",
                                       "instrument", "article", "source_url", "date_reviewed",
                                       "status"])


def draw_workplan(rng: np.random.Generator) -> pd.DataFrame:
    actions = list(reference.workplan_actions().index)  # never invented
    rows = []
    for country in sorted(reference.CRM_MEMBERS):
        final = pick_index(rng, len(actions), (12, 40, 40, 8))  # status reached by the end of 2024
        for action, end in zip(actions, final, strict=True):
            if end in (0, 3):
                steps = [end]
            elif end == 1:
                steps = [0, 1] if rng.random() < 0.7 else [1]
            else:
                steps = [0, 1, 2] if rng.random() < 0.5 else [1, 2]
            cut = np.sort(rng.choice(72, size=len(steps), replace=False))
            for step, month in zip(steps, cut, strict=True):
                day = np.datetime64("2019-01", "M") + int(month)
                date = day.astype("datetime64[D]") + int(rng.integers(0, 28))
                status = ("not_started", "in_progress", "completed", "not_applicable")[step]
                rows.append((country, country, action, status, "Illustrative evidence",
                             str(date)))
    return pd.DataFrame(rows, columns=["reporting_country", "country", "action_id", "status",
                                       "evidence", "date"])
