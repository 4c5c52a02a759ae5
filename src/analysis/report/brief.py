"""The per-country brief: one reporting country's key figures, corridors, profiles, fees,
networks, legislation and Work Plan progress on two printed pages.

Every number comes from the diagnostic's own modules (routes, modus, profiles, network,
legislation, workplan) applied to the country's data; corridors and the far ends of network
ties also look at the other countries' reports in the run (`regional_data`). The functions
return codes, not labels, except the few that build the page's HTML blocks (`legislation_html`,
`links_html`, `row_html`, `STYLE`), which take the run's language and fill the templates of
`report/templates/brief/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
from markupsafe import Markup

from analysis.core import i18n, reference
from analysis.data import ingest as data_io
from analysis.diagnostic import legislation, modus, profiles, routes, workplan
from analysis.diagnostic.network import build, measures
from analysis.report import notebook, templating
from analysis.report.figures import maps

KEY_FIGURES = ("cases", "migrants", "minors", "smugglers_detained", "dead_missing")
OVERALL = "_all"  # the row of every case in a table by group
OTHER = modus.OTHER
MAP_PAD = 0.08  # share of the corridors' extent added around the map
MAP_MIN_SPAN_M = 900_000  # the narrowest map: about the width of Central America's isthmus
MAP_RATIO = 0.72  # map height / width
REGIONAL_REPORTS = ("10_routes", "20_modus_operandi", "30_profiles", "40_networks",
                    "50_legislation", "60_workplan", "80_methodology")
# The legislation block: two columns of axes, so that the 28 criteria fit half a page.
LEGISLATION_COLUMNS = (("criminalization", "penalties"), ("protection", "cooperation",
                                                          "prevention"))


# data -------------------------------------------------------------------------------------
def regional_data(data_dir: str = "", period: str = "") -> data_io.Dataset:
    """Every reporting country's data in the period: the context of a country's corridors
    (other countries' cases that cross it) and of its ties (the far end's base country),
    whichever countries the run makes briefs for."""
    return data_io.load(notebook.required_data_dir(data_dir, "en"), None, period)


def country_in_text(country: str, lang: str) -> str:
    """The country's name as it reads inside a sentence ("the United States")."""
    key = f"brief.in_text_{country}"
    if key in i18n.catalog():
        return i18n.t(key, lang)
    return reference.label("country", country, lang)


def publishable(n: int, k: int) -> bool:
    """Whether a count of persons or cases may be given exactly (zero, or at least k)."""
    return n == 0 or n >= k


# key figures ------------------------------------------------------------------------------
def _total(table: pd.DataFrame, column: str) -> int:
    if table.empty or column not in table:
        return 0
    return int(pd.to_numeric(table[column], errors="coerce").fillna(0).sum())


def key_figures(data: data_io.Dataset) -> pd.Series:
    """Cases, migrants, minors and smugglers detained (from the cases), and the dead and
    missing of the incidents the country recorded."""
    cases = data.cases
    return pd.Series({
        "cases": len(cases),
        "migrants": _total(cases, "migrants"),
        "minors": _total(cases, "minors"),
        "smugglers_detained": _total(cases, "smugglers_detained"),
        "dead_missing": _total(data.incidents, "dead") + _total(data.incidents, "missing"),
    })[list(KEY_FIGURES)]


def period(data: data_io.Dataset) -> tuple[int | None, int | None]:
    """The first and last year of the country's cases (None, None without dated cases)."""
    dates = pd.to_datetime(data.cases["date"], errors="coerce").dropna()
    if dates.empty:
        return None, None
    return int(dates.min().year), int(dates.max().year)


# corridors --------------------------------------------------------------------------------
# The rows (alias t) of a case with a leg that starts or ends at a place of the country (the
# places in the frame `inside`): every case whose corridor passes through it.
TOUCHING = """EXISTS (SELECT 1 FROM route_legs AS l
    WHERE l.reporting_country = t.reporting_country AND l.case_id = t.case_id
    AND (l.from_place IN (SELECT place_id FROM inside)
         OR l.to_place IN (SELECT place_id FROM inside)))"""
# The actors (alias t) at either end of the country's links, and its own actors: a superset
# of those `network_summary` looks up in every country's actors. The country is the one row
# of the frame `own`.
FAR_ENDS = """t.actor_id IN (
    SELECT source FROM links WHERE reporting_country IN (SELECT code FROM own)
    UNION SELECT target FROM links WHERE reporting_country IN (SELECT code FROM own)
    UNION SELECT actor_id FROM actors WHERE reporting_country IN (SELECT code FROM own))"""


def _inside(country: str) -> pd.DataFrame:
    places = reference.places()
    return pd.DataFrame({"place_id": places.index[places["country"] == country].astype(str)})


def legs_through(regional: data_io.Dataset, country: str) -> pd.DataFrame:
    """The route legs (with places and cases, `routes.legs`) of the cases of every report in
    `regional` that pass through `country`: what a country's corridors are made of, without
    the journeys of the rest of the region. Only those cases and legs are read."""
    inside = _inside(country)
    return routes.legs(regional.rows("route_legs", TOUCHING, inside=inside),
                       regional.rows("cases", TOUCHING, inside=inside))


def far_actors(regional: data_io.Dataset, country: str) -> pd.DataFrame:
    """The actors of every report in `regional` that `network_summary` may look up for
    `country` (at an end of its links, or its own), in the table's order: what it reads of
    every country's actors, without loading them all."""
    return regional.rows("actors", FAR_ENDS, own=pd.DataFrame({"code": [country]}))


def corridors(regional: data_io.Dataset, country: str,
              through: pd.DataFrame | None = None) -> pd.DataFrame:
    """The corridors (country sequences of two or more countries) that cross, start or end in
    `country`, from every report in `regional`: corridor, cases, migrants, own_cases (those
    the country reported itself), most migrants first. `through`: `legs_through(regional,
    country)`, when already computed."""
    columns = ["corridor", "cases", "migrants", "own_cases"]
    enriched = legs_through(regional, country) if through is None else through
    per_case = routes.corridor_of_cases(enriched)
    touching = per_case[routes.crosses(per_case["corridor"], country)]
    if touching.empty:
        return pd.DataFrame(columns=columns)
    out = touching.assign(own=touching["reporting_country"] == country).groupby(
        "corridor", sort=True).agg(cases=("case_id", "size"), migrants=("migrants", "sum"),
                                   own_cases=("own", "sum")).reset_index()
    out = out.astype({"cases": int, "migrants": int, "own_cases": int})
    out = out.sort_values(["migrants", "cases", "corridor"], ascending=[False, False, True],
                          kind="stable")
    return out[columns].reset_index(drop=True)


def corridor_flows(regional: data_io.Dataset, chosen: list[str], k: int,
                   through: pd.DataFrame | None = None) -> pd.DataFrame:
    """The place-to-place legs of the cases in the `chosen` corridors that at least `k` cases
    travel, with `weight` = migrants (ready for maps.flow_lines). `through`: the legs of
    the cases through a country every chosen corridor crosses (`legs_through`), when
    already computed."""
    shared = set.intersection(*(set(routes.corridor_countries(c)) for c in chosen)) if (
        chosen) else set()
    if through is not None:
        enriched = through
    elif shared:
        enriched = legs_through(regional, min(shared))
    else:
        enriched = routes.legs(regional.route_legs, regional.cases)
    per_case = routes.corridor_of_cases(enriched)
    cases = per_case.loc[per_case["corridor"].isin(chosen), routes.KEY]
    flows = routes.flows(enriched.merge(cases, on=routes.KEY, how="inner"))
    return flows[flows["cases"] >= k].rename(columns={"migrants": "weight"}).reset_index(
        drop=True)


def map_bounds(flows: pd.DataFrame, to_xy: maps.Projection, country: str,
               pad: float = MAP_PAD, min_span: float = MAP_MIN_SPAN_M,
               ratio: float = MAP_RATIO) -> tuple[float, float, float, float]:
    """The view (xmin, ymin, xmax, ymax, in map metres) that holds the country (its main land
    and the parts near it, not far islands or Alaska) and both ends of every flow, padded,
    at least `min_span` wide, shaped `ratio` (height / width) and kept inside the region's
    basemap."""
    shape = maps.basemap().query("iso3 == @country").to_crs(to_xy.crs)
    xs, ys = [], []
    if len(shape):
        parts = shape.explode(index_parts=False)
        parts = parts.assign(area=parts.area).sort_values("area", ascending=False)
        near = parts[parts.distance(parts.geometry.iloc[0]) <= maps.NEAR_PART_M]
        x0, y0, x1, y1 = near.total_bounds
        xs += [x0, x1]
        ys += [y0, y1]
    for end in ("from", "to"):
        x, y = to_xy(flows[f"{end}_lon"], flows[f"{end}_lat"])
        xs += list(x[np.isfinite(x)])
        ys += list(y[np.isfinite(y)])
    _, region = maps.view("region")
    if not xs:
        return region
    xmin, xmax, ymin, ymax = min(xs), max(xs), min(ys), max(ys)
    width = max((xmax - xmin) * (1 + 2 * pad), min_span)
    height = max((ymax - ymin) * (1 + 2 * pad), min_span * ratio)
    width, height = max(width, height / ratio), max(height, width * ratio)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    left, right = cx - width / 2, cx + width / 2
    bottom, top = cy - height / 2, cy + height / 2
    # slide (not shrink) the view back inside the region where it pokes out
    shift_x = max(region[0] - left, 0) - max(right - region[2], 0)
    shift_y = max(region[1] - bottom, 0) - max(top - region[3], 0)
    return (left + shift_x, bottom + shift_y, right + shift_x, top + shift_y)


def emptiest_corner(to_xy: maps.Projection, bounds, flows: pd.DataFrame,
                    share: float = 0.38) -> str:
    """Where the legend covers least: the corner (upper left, upper right or lower left; the
    source note takes the lower right) with the least land and the fewest flow ends."""
    from shapely.geometry import box

    xmin, ymin, xmax, ymax = bounds
    w, h = (xmax - xmin) * share, (ymax - ymin) * share
    corners = {"upper left": box(xmin, ymax - h, xmin + w, ymax),
               "upper right": box(xmax - w, ymax - h, xmax, ymax),
               "lower left": box(xmin, ymin, xmin + w, ymin + h)}
    land = maps.basemap().to_crs(to_xy.crs).clip(box(*bounds)).union_all()
    points = [to_xy(flows[f"{end}_lon"], flows[f"{end}_lat"]) for end in ("from", "to")]
    x = np.concatenate([p[0] for p in points]) if len(flows) else np.array([])
    y = np.concatenate([p[1] for p in points]) if len(flows) else np.array([])

    def cover(name: str) -> float:
        corner = corners[name]
        x0, y0, x1, y1 = corner.bounds
        ends = ((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)).sum()
        return land.intersection(corner).area / corner.area + 0.1 * ends

    return min(corners, key=cover)  # ties: the first listed


def corridor_map(flows: pd.DataFrame, country: str, lang: str, unit: str, label: str,
                 source: str = "", width: float = 5.6):
    """The legs of a country's corridors on a map fitted to them, the country outlined.
    `source` is added to the basemap's note in the corner (the caption names the data
    source already). Returns the figure."""
    import matplotlib.pyplot as plt

    to_xy, _ = maps.view("region")
    bounds = map_bounds(flows, to_xy, country)
    xmin, ymin, xmax, ymax = bounds
    fig, ax = plt.subplots(figsize=(width, width * (ymax - ymin) / (xmax - xmin)))
    maps.base_map(ax=ax, extent="region", lang=lang, source=source, labels=False)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    maps.country_labels(ax, to_xy, bounds, lang)
    maps.legend(ax, loc=emptiest_corner(to_xy, bounds, flows))
    outline_country(ax, to_xy, country)
    maps.flow_lines(ax, flows, to_xy, lang=lang, unit=unit, label=label)
    return fig


def outline_country(ax, to_xy: maps.Projection, country: str, color: str = "#0b5394") -> None:
    """Draw the country's border over a base map, so the reader finds it at once."""
    shape = maps.basemap().query("iso3 == @country")
    if len(shape):
        shape.to_crs(to_xy.crs).boundary.plot(ax=ax, color=color, linewidth=1.3, zorder=2)
        ax.set_xlabel("")  # geopandas names the projected axes; a map needs no axis titles
        ax.set_ylabel("")


# profiles and modus operandi --------------------------------------------------------------
def nationalities(migrants: pd.DataFrame, top: int = 6) -> pd.DataFrame:
    """Persons by nationality: the `top` most frequent, then the rest together (OTHER)."""
    values = migrants["nationality"].dropna()
    if values.empty:
        return pd.DataFrame(columns=["nationality", "persons"])
    keep = modus.top_values(values, top)
    counts = modus.keep_top(values, keep).value_counts().reindex([*keep, OTHER], fill_value=0)
    out = counts.rename("persons").rename_axis("nationality").reset_index()
    return out[(out["nationality"] != OTHER) | (out["persons"] > 0)].reset_index(drop=True)


def sex_age(migrants: pd.DataFrame) -> pd.DataFrame:
    """Persons by age band (rows) and sex (female, male columns); unknowns left out."""
    return profiles.pyramid(migrants)


def children(migrants: pd.DataFrame) -> dict[str, int]:
    """Children (under 18) among the persons, and unaccompanied and separated children."""
    counts = profiles.children(migrants.assign(_all="all"), by="_all").sum()
    return {name: int(counts.get(name, 0)) for name in ("children", "unaccompanied",
                                                        "separated")}


def fee_summary(cases: pd.DataFrame) -> pd.DataFrame:
    """Median and interquartile range of the fee per person in USD, with N: every case with a
    fee (group OVERALL) then by service model (code-list order)."""
    columns = ["group", *modus.STAT_COLUMNS]
    fees = modus.with_fees_usd(cases).dropna(subset=["fee_usd"]) if len(cases) else cases
    if fees.empty:
        return pd.DataFrame(columns=columns)
    overall = modus.summary(fees, "fee_usd").assign(group=OVERALL)
    by_model = modus.summary(fees, "fee_usd", "service_model").rename(
        columns={"service_model": "group"})
    order = {c: i for i, c in enumerate(reference.code_list("service_model"))}
    by_model = by_model.sort_values("group", key=lambda s: s.map(order), kind="stable")
    out = pd.concat([overall[columns], by_model[columns]], ignore_index=True)
    return out.astype({"n": int})


def payment_methods(cases: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """Cases by payment method: the `top` most frequent named methods (ties in code-list
    order), then the rest and "other" together (OTHER)."""
    counts = modus.code_counts(cases, "payment_method", reference.code_list("payment_method"))
    counts = counts.sort_values(ascending=False, kind="stable")
    named = counts.drop("other", errors="ignore")
    rest = int(counts.sum() - named.head(top).sum())
    out = named.head(top).rename("cases").rename_axis("payment_method").reset_index()
    if rest:
        out.loc[len(out)] = [OTHER, rest]
    return out.astype({"cases": int})


# networks ---------------------------------------------------------------------------------
def actors_by_role(actors: pd.DataFrame) -> pd.DataFrame:
    """The country's actors by role (code-list order, roles present only)."""
    counts = modus.code_counts(actors, "role", reference.code_list("actor_role"))
    return counts.rename("actors").rename_axis("role").reset_index()


def network_summary(data: data_io.Dataset, everyone: pd.DataFrame | None = None) -> dict:
    """The network the country reported: its own actors and the actors at the far end of
    its links. Size, ties, density, components and Freeman centralization
    (analysis.diagnostic.network.measures),
    and the ties between actors based in different countries among the ties whose two ends
    have a known base country. `everyone` (every country's actors) gives the far ends their
    base country. Empty without links."""
    links = data.links.dropna(subset=["source", "target"])
    links = links[links["source"] != links["target"]]
    if links.empty:
        return {}
    own = data.actors
    ends = set(links["source"]) | set(links["target"]) | set(own["actor_id"].dropna())
    pool = own if everyone is None else pd.concat(
        [own, everyone[everyone["actor_id"].isin(ends)]], ignore_index=True)
    pool = pool[pool["actor_id"].isin(ends)]  # the country's own record comes first
    graph = build.from_tables(pool, links)
    summary = measures.describe(graph)
    base = pd.Series({n: d.get("base_country") for n, d in graph.nodes(data=True)},
                     dtype=object)
    ends = pd.DataFrame(list(graph.edges()), columns=["u", "v"], dtype=object)
    u_base, v_base = ends["u"].map(base), ends["v"].map(base)
    known = (u_base.map(bool, na_action="ignore") & v_base.map(bool, na_action="ignore")
             ).fillna(False).astype(bool)
    cross = int((u_base[known] != v_base[known]).sum())
    return {
        "actors": int(own["actor_id"].nunique()),
        "nodes": summary["nodes"],
        "ties": summary["ties"],
        "links": len(links),
        "density": summary["density"],
        "components": summary["components"],
        "largest_component_share": summary["largest_component_share"],
        "centralization": summary["centralization"],
        "known_ties": int(known.sum()),
        "cross_border_ties": cross,
        "cross_border_share": cross / int(known.sum()) if known.any() else float("nan"),
    }


NETWORK_ROWS = (("nodes", 0), ("ties", 0), ("components", 0), ("largest_component_share", -1),
                ("density", 3), ("centralization", 2), ("cross_border_share", -1))


def network_table(summary: dict, lang: str) -> pd.DataFrame:
    """The network measures as a two-column table of formatted values (-1: a percentage)."""
    rows = []
    for key, decimals in NETWORK_ROWS:
        value = summary.get(key)
        if value is None or (isinstance(value, float) and np.isnan(value)):
            text = "–"
        elif decimals < 0:
            text = i18n.fmt_percent(value, lang, 0)
        else:
            text = i18n.fmt_number(value, lang, decimals)
        rows.append((i18n.t(f"brief.net_{key}", lang), text))
    return pd.DataFrame(rows, columns=[i18n.t("brief.measure", lang),
                                       i18n.t("brief.value", lang)])


# legislation ------------------------------------------------------------------------------
def legislation_row(data: data_io.Dataset, country: str
                    ) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """The country's cells of the legislation matrix (the reference desk review, replaced by
    the country's own submission), scored; its score and coverage; and its score by axis."""
    reference = legislation.reference_rows()  # every country's: only this one's is merged
    merged = legislation.merge(reference[reference["country"] == country], data.legislation,
                               [country])
    cells = legislation.scored(merged.cells)
    overall = legislation.scores(merged.cells).iloc[0].to_dict()
    overall["submitted"] = merged.submitted
    by_axis = legislation.scores(merged.cells, "axis")
    return cells, overall, by_axis


def symbol(value: str, value_type: str, level: str, lang: str) -> str:
    """A cell as the matrix shows it: ✓ ◐ ✗ (nothing without data), or the number."""
    if value_type == "number" and value:
        return legislation.value_text(value, value_type, lang)
    return legislation.SYMBOLS[level]


def legislation_table(cells: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The country's row of the matrix as a plain table for the annex: axis, criterion,
    Protocol article, symbol, value in words and status."""
    table = legislation.criteria().set_index("criterion_id")
    order = {c: i for i, c in enumerate(table.index)}
    cells = cells.sort_values("criterion_id", key=lambda s: s.map(order), kind="stable")
    t = lambda key: i18n.t(f"legislation.{key}", lang)  # noqa: E731
    return pd.DataFrame({
        t("col_axis"): [t(f"axis_{a}") for a in cells["axis"]],
        t("col_criterion"): [table.at[c, f"label_{lang}"] for c in cells["criterion_id"]],
        t("col_article"): list(cells["protocol_article"]),
        i18n.t("brief.symbol", lang): [symbol(c.value, c.value_type, c.level, lang)
                                       for c in cells.itertuples()],
        t("col_value"): [legislation.value_text(v, vt, lang) or t("value_none")
                         for v, vt in zip(cells["value"], cells["value_type"], strict=True)],
        t("col_status"): [reference.label("assessment_status", s, lang)
                          for s in cells["status"]],
    })


def legislation_html(cells: pd.DataFrame, by_axis: pd.DataFrame, lang: str,
                     caption: str = "", table_id: str = "") -> str:
    """The country's row of the matrix, compact: two columns of axes (with the axis score),
    one line per criterion with its coloured symbol (✓ ◐ ✗, or the years), a legend."""
    table = legislation.criteria().set_index("criterion_id")
    scores = dict(zip(by_axis["axis"], by_axis["score"], strict=True))
    enough = dict(zip(by_axis["axis"], by_axis["sufficient"], strict=True))
    lookup = cells.set_index("criterion_id")
    t = lambda key, **kw: i18n.t(f"legislation.{key}", lang, **kw)  # noqa: E731
    columns = []
    for axes in LEGISLATION_COLUMNS:
        column = []
        for axis in axes:
            score = scores.get(axis, float("nan"))
            shown = ("–" if pd.isna(score) else i18n.fmt_percent(score, lang, 0)) if enough.get(
                axis, False) else t("insufficient_data")
            rows = []
            for criterion in table.index[table["axis"] == axis]:
                cell = lookup.loc[criterion]
                value = legislation.value_text(cell["value"], cell["value_type"], lang)
                tip = [value or t("value_none"),
                       reference.label("assessment_status", cell["status"], lang)]
                tip += [p for p in (cell["instrument"], cell["article"]) if p]
                rows.append({"label": table.at[criterion, f"label_{lang}"],
                             "colour": legislation.COLOURS[cell["level"]],
                             "tip": " · ".join(tip),
                             "mark": symbol(cell["value"], cell["value_type"], cell["level"],
                                            lang)})
            column.append({"label": t(f"axis_{axis}"), "criteria": rows, "score": shown})
        columns.append(column)
    legend = [{"colour": legislation.COLOURS[level], "symbol": legislation.SYMBOLS[level],
               "text": t(f"legend_{level}")} for level in (*legislation.LEVELS, "no_data")]
    return templating.render("brief/legislation.html.j2", lang, caption=Markup(caption),
                             table_id=table_id, columns=columns, legend=legend)


# Work Plan --------------------------------------------------------------------------------
def workplan_grid(data: data_io.Dataset, country: str) -> pd.DataFrame:
    """Every action of the plan with the country's latest status on it (or no_report)."""
    latest = workplan.latest_status(workplan.own_reports(data.workplan_status))
    return workplan.status_grid(latest[latest["country"] == country], [country])


def workplan_progress(data: data_io.Dataset, country: str) -> pd.DataFrame:
    """The country's actions by axis (rows) and latest status (columns), with total and the
    share completed."""
    return workplan.progress(workplan_grid(data, country), "axis")


def workplan_totals(grid: pd.DataFrame) -> dict:
    """Actions by latest status over the whole plan, and the date of the latest report."""
    counts = grid["status"].value_counts()
    out = {s: int(counts.get(s, 0)) for s in workplan.ALL_STATUSES}
    out["total"] = len(grid)
    dates = pd.to_datetime(grid["date"], errors="coerce").dropna()
    out["last"] = dates.max() if len(dates) else None
    return out


# page -------------------------------------------------------------------------------------
def regional_links(lang: str) -> list[tuple[str, str]]:
    """(file, title) of the regional reports, which sit next to the briefs in html/."""
    return [(f"{stem}.html", i18n.t(f"run.report_{stem.split('_', 1)[1]}", lang))
            for stem in REGIONAL_REPORTS]


def links_html(lang: str) -> str:
    return templating.render("brief/links.html.j2", lang, links=regional_links(lang))


def row_html(parts: list[str]) -> str:
    """Blocks side by side (one column on narrow screens); each part is HTML already."""
    return templating.render("brief/row.html.j2", parts=[Markup(p) for p in parts])


class Columns:
    """The outputs captured in a block, split into columns where `next()` is called (one
    column per output when it never is)."""

    def __init__(self, captured) -> None:
        self._captured = captured
        self._marks: list[int] = []

    def next(self) -> None:
        self._marks.append(len(self._captured.outputs))

    def parts(self) -> list[str]:
        outputs = self._captured.outputs
        if self._marks:
            bounds = [0, *self._marks, len(outputs)]
            groups = [outputs[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        else:
            groups = [[o] for o in outputs]
        return ["".join(o.data.get("text/html", "") for o in group) for group in groups]


@contextmanager
def side_by_side() -> Iterator[Columns]:
    """Show what the block displays (tables, figures, notices) side by side."""
    from IPython.display import HTML, display
    from IPython.utils.capture import capture_output

    with capture_output(stdout=False, stderr=False) as captured:
        columns = Columns(captured)
        yield columns
    display(HTML(row_html([p for p in columns.parts() if p])))


PAGE_BREAK = '<div class="brief-break"></div>'  # where the second printed page starts

# The page's own layout (style/brief.css): compact on screen, two A4 pages in print with page
# numbers. The report page inlines it; a notebook shows it for its own view.
STYLE = templating.render("brief/style.html.j2")
