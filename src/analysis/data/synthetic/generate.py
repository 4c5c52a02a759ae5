"""Assembling the synthetic tables and writing the data folder, chunk by chunk.

Large scales are drawn in chunks of at most `CHUNK_SCALE` (each with its own seed spawned from
the run's seed, so the same seed gives the same bytes), identifiers continue from one chunk to
the next, and each country's files are merged in key order at the end: a chunk's tables are
all that is ever held in memory, and the files read as one dataset.
"""

from __future__ import annotations

import csv
import heapq
import math
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.core import reference
from analysis.core.contract import TABLES
from analysis.data.synthetic.cases import (
    draw_case_details,
    draw_cases,
    draw_leg_details,
    draw_migrants,
)
from analysis.data.synthetic.draw import as_text, iso_dates, make_ids, sequence
from analysis.data.synthetic.flaws import PLANTED, plant_flaws
from analysis.data.synthetic.geography import ROUTES, geography
from analysis.data.synthetic.illustrative import draw_legislation, draw_workplan
from analysis.data.synthetic.incidents import draw_incidents
from analysis.data.synthetic.networks import draw_network
from analysis.data.synthetic.parameters import BASE_ROWS, COUNTRY_WEIGHTS, FLAW_SHARE, MODES

CHUNK_SCALE = 20  # a chunk of scale 20 holds about 440 thousand rows
ID_WIDTHS = {"cases": 6, "migrants": 7, "incidents": 5, "actors": 5}


def _scaled(table: str, scale: float) -> int:
    return max(int(round(BASE_ROWS[table] * scale)), 1)


def _id_widths(scale: float) -> dict[str, int]:
    """Digits of the running numbers in identifiers: the usual widths, widened when a table
    could hold more rows than they allow (so identifiers still sort as numbers)."""
    return {name: max(width, len(str(_scaled(name, scale))))
            for name, width in ID_WIDTHS.items()}


@dataclass
class Counters:
    """Rows numbered so far, carried from one chunk to the next so identifiers continue."""

    cases: Counter = field(default_factory=Counter)  # by (country, year)
    migrants: Counter = field(default_factory=Counter)  # by country
    incidents: Counter = field(default_factory=Counter)
    actors: Counter = field(default_factory=Counter)
    flaws: Counter = field(default_factory=Counter)  # by table
    planted: Counter = field(default_factory=Counter)

    @staticmethod
    def shift(counter: Counter, keys: np.ndarray, seq: np.ndarray) -> np.ndarray:
        """`seq` (1, 2, … within each key) continued after the rows numbered before; the
        counter then holds the new totals."""
        keys = np.asarray(keys, dtype=object)
        start = np.array([counter[k] for k in keys], dtype=np.int64)
        out = seq + start
        for key, last in pd.Series(out).groupby(keys).max().items():
            counter[key] = int(last)
        return out


def _sorted(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Rows in key order; integer keys sort as numbers (stable, so ties keep their order)."""
    contract = TABLES[table]
    keys = []
    sortable = pd.DataFrame(index=frame.index)
    for name in contract.key:
        if contract.field(name).kind == "integer":
            sortable[name] = pd.to_numeric(frame[name], errors="coerce").fillna(-1)
        else:
            sortable[name] = frame[name].astype(str)
        keys.append(name)
    order = sortable.sort_values(keys, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _columns(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    names = [f.name for f in TABLES[table].fields if not f.drop]
    return frame[names]


def generate(out_dir: Path, scale: float = 1, seed: int = 2018,
             chunk_scale: float = CHUNK_SCALE) -> dict[str, int]:
    """Write a synthetic data folder for the 11 CRM countries; return rows written per table.

    Scales above `chunk_scale` are drawn in equal chunks, one at a time."""
    out_dir = Path(out_dir)
    if scale <= 0 or chunk_scale <= 0:
        raise ValueError("scale must be positive")
    n_chunks = max(1, math.ceil(scale / chunk_scale - 1e-9))
    root = np.random.SeedSequence(seed)
    seeds = [root] if n_chunks == 1 else root.spawn(n_chunks)
    writer = _Writer(out_dir, n_chunks)
    counters = Counters()
    widths = _id_widths(scale)
    geo = geography()
    for index, chunk_seed in enumerate(seeds):
        tables = _draw_chunk(chunk_seed, geo, scale / n_chunks, counters, widths,
                             first=index == 0)
        writer.add(index, tables)
    counts = writer.finish()
    _write_meta(out_dir, dict(counters.planted), scale, seed)
    return counts


def _draw_chunk(seed: np.random.SeedSequence, geo, scale: float, counters: Counters,
                widths: dict[str, int], first: bool) -> dict[str, pd.DataFrame]:
    """Every table of one chunk, identifiers numbered after those of earlier chunks; the
    country-level tables (legislation, Work Plan) come with the first chunk only."""
    streams = seed.spawn(8)
    rng = {name: np.random.default_rng(s) for name, s in zip(
        ("cases", "legs", "migrants", "incidents", "network", "legislation", "workplan",
         "flaws"), streams, strict=True)}
    tables: dict[str, pd.DataFrame] = {}

    n_cases = _scaled("cases", scale)
    c, legs = draw_cases(rng["cases"], geo, n_cases, _scaled("route_legs", scale))
    d = draw_case_details(rng["cases"], geo, c)
    people, minors, main_nationality = draw_migrants(rng["migrants"], c, d,
                                                 _scaled("migrants", scale))
    leg = draw_leg_details(rng["legs"], geo, c, d, legs)

    # Case ids: per country and year, numbered in date order.
    country_rank = np.searchsorted(np.array(sorted(COUNTRY_WEIGHTS)), c["country"])
    order = np.lexsort((rng["cases"].random(n_cases), c["date"], c["year"], country_rank))
    seq = np.empty(n_cases, dtype=np.int64)
    group = country_rank[order] * 10000 + c["year"][order]
    seq[order] = sequence(group)
    case_prefix = c["country"] + "-" + c["year"].astype(str) + "-"
    seq = counters.shift(counters.cases, case_prefix, seq)
    case_id = make_ids(case_prefix, seq, widths["cases"])

    place = geo.place_ids[c["place"]]
    by_coordinates = (c["last_mode"] == 1) | (rng["cases"].random(n_cases) < 0.05)
    lat = geo.places["lat"].to_numpy()[c["place"]] + rng["cases"].normal(0, 0.02, n_cases)
    lon = geo.places["lon"].to_numpy()[c["place"]] + rng["cases"].normal(0, 0.02, n_cases)
    tables["cases"] = pd.DataFrame({
        "reporting_country": c["country"], "case_id": case_id, "date": iso_dates(c["date"]),
        "place_id": np.where(by_coordinates, "", place),
        "lat": as_text(lat, by_coordinates, "{:.4f}"),
        "lon": as_text(lon, by_coordinates, "{:.4f}"),
        "detection_context": d["context"],
        "transport_mode": np.array(("land", "sea", "air", "mixed"), dtype=object)[c["transport"]],
        "origin_country": main_nationality,
        "destination_country": np.array([r.destination for r in ROUTES],
                                        dtype=object)[c["route"]],
        "migrants": d["migrants"].astype(str), "minors": minors.astype(str),
        "smugglers_detained": d["detained"].astype(str),
        "fee_amount": as_text(d["fee"], d["has_fee"]),
        "fee_currency": np.where(d["has_fee"], d["currency"], ""),
        "payment_method": np.where(d["has_fee"], d["payment"], ""),
        "concealment": d["concealment"], "document_fraud": d["fraud"],
        "service_model": d["service"], "recruitment_channel": d["recruitment"],
        "associated_crimes": d["crimes"], "legal_outcome": d["outcome"],
        "sentence_years": as_text(d["sentence"], d["convicted"], "{:.1f}"),
    })

    pc = people["case"]
    person_country = c["country"][pc]
    person_order = np.lexsort((np.arange(len(pc)), case_id[pc], person_country))
    person_seq = np.empty(len(pc), dtype=np.int64)
    person_seq[person_order] = sequence(np.searchsorted(np.array(sorted(COUNTRY_WEIGHTS)),
                                                         person_country[person_order]))
    person_seq = counters.shift(counters.migrants, person_country, person_seq)
    yes_no = np.array(["false", "true"], dtype=object)
    minor = people["minor"]
    tables["migrants"] = pd.DataFrame({
        "reporting_country": person_country,
        "person_id": make_ids(person_country + "-P-", person_seq, widths["migrants"]),
        "case_id": case_id[pc],
        "nationality": people["nationality"], "sex": people["sex"], "age_band": people["age"],
        "unaccompanied_child": np.where(minor, yes_no[people["unaccompanied"].astype(int)], ""),
        "separated_child": np.where(minor, yes_no[people["separated"].astype(int)], ""),
        "vulnerability": people["vulnerability"], "origin_country": people["origin"],
        "intended_destination": people["intended"], "reason_for_travel": people["reason"],
        "fee_paid": as_text(people["fee"], people["has_fee"]),
        "fee_currency": np.where(people["has_fee"], d["currency"][pc], ""),
    })

    lc = legs["case"]
    tables["route_legs"] = pd.DataFrame({
        "reporting_country": c["country"][lc], "case_id": case_id[lc],
        "leg_order": legs["order"].astype(str), "from_place": geo.place_ids[legs["src"]],
        "to_place": geo.place_ids[legs["dst"]],
        "mode": np.array(MODES, dtype=object)[legs["mode"]], "date": iso_dates(leg["date"]),
        "cost": as_text(leg["cost"], leg["present"]),
        "cost_currency": np.where(leg["present"], leg["currency"], ""),
    })

    inc = draw_incidents(rng["incidents"], geo, _scaled("incidents", scale))
    inc_country = inc["reporting_country"].to_numpy(dtype=object)
    inc_order = np.lexsort((inc["date"].to_numpy(), inc_country))
    inc_seq = np.empty(len(inc), dtype=np.int64)
    inc_seq[inc_order] = sequence(inc_country[inc_order])
    inc_seq = counters.shift(counters.incidents, inc_country, inc_seq)
    tables["incidents"] = pd.DataFrame({
        "reporting_country": inc_country,
        "incident_id": make_ids(inc_country + "-I-", inc_seq, widths["incidents"]),
        "date": iso_dates(inc["date"].to_numpy()),
        "lat": as_text(inc["lat"].to_numpy(), None, "{:.4f}"),
        "lon": as_text(inc["lon"].to_numpy(), None, "{:.4f}"),
        "country": inc["country"], "type": inc["type"],
        "dead": inc["dead"].astype(str), "missing": inc["missing"].astype(str),
        "survivors": as_text(inc["survivors"].to_numpy(), inc["survivors_known"].to_numpy()),
        "females": as_text(inc["females"].to_numpy(), inc["sex_known"].to_numpy()),
        "males": as_text(inc["males"].to_numpy(), inc["sex_known"].to_numpy()),
        "children": as_text(inc["children"].to_numpy(), inc["children_known"].to_numpy()),
        "cause": inc["cause"], "route": inc["route"], "source": "synthetic",
        "source_quality": inc["source_quality"].astype(str),
    })

    actors, links = draw_network(rng["network"], geo, _scaled("actors", scale),
                             _scaled("links", scale), case_id, c["country"], c["route"])
    actor_country = actors["reporting_country"].to_numpy(dtype=object)
    actor_order = np.argsort(actor_country, kind="stable")
    seq = np.empty(len(actors), dtype=np.int64)
    seq[actor_order] = sequence(actor_country[actor_order])
    seq = counters.shift(counters.actors, actor_country, seq)
    actor_id = make_ids(actor_country + "-A-", seq, widths["actors"])
    actors.insert(1, "actor_id", actor_id)
    tables["actors"] = actors
    links.insert(0, "reporting_country", actor_country[links["source"].to_numpy()])
    links["source"] = actor_id[links["source"].to_numpy()]
    links["target"] = actor_id[links["target"].to_numpy()]
    links["weight"] = links["weight"].astype(int).astype(str)
    tables["links"] = links

    if first:
        tables["legislation"] = draw_legislation(rng["legislation"])
        tables["workplan_status"] = draw_workplan(rng["workplan"])

    for name in ("cases", "migrants", "route_legs"):
        count = max(len(PLANTED[name]), int(round(FLAW_SHARE * len(tables[name]))))
        tables[name], planted = plant_flaws(rng["flaws"], name, tables[name], count,
                                            start=counters.flaws[name])
        counters.flaws[name] += planted
        counters.planted[name] += planted
    return tables


class _Writer:
    """Each country's CSV files: written directly from a single chunk; from several, each
    chunk's sorted rows go to a part file and the parts are merged in key order at the end
    (a stable merge, so the files are those one sort over every chunk would give)."""

    def __init__(self, out_dir: Path, n_chunks: int):
        self.out_dir = out_dir
        self.n_chunks = n_chunks
        self.parts = out_dir / ".parts"
        self.counts = Counter()
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.parts, ignore_errors=True)
        for country in reference.CRM_MEMBERS:
            shutil.rmtree(out_dir / country, ignore_errors=True)
            (out_dir / country).mkdir()
            if n_chunks > 1:
                (self.parts / country).mkdir(parents=True)

    def add(self, index: int, tables: dict[str, pd.DataFrame]) -> None:
        for name in TABLES:  # official statistics (flows) are never made up: header only
            made = tables.get(name, pd.DataFrame(columns=TABLES[name].names))
            frame = _sorted(_columns(made, name), name)
            self.counts[name] += len(frame)
            groups = frame.groupby("reporting_country", sort=True).groups
            for country in sorted(reference.CRM_MEMBERS):
                part = frame.loc[groups[country]] if country in groups else frame.iloc[:0]
                if self.n_chunks == 1:
                    path, header = self.out_dir / country / f"{name}.csv", True
                else:
                    path, header = self.parts / country / f"{name}.{index:05d}.csv", False
                part.to_csv(path, index=False, header=header, lineterminator="\n",
                            encoding="utf-8")

    def finish(self) -> dict[str, int]:
        if self.n_chunks > 1:
            for country in sorted(reference.CRM_MEMBERS):
                for name in TABLES:
                    parts = sorted((self.parts / country).glob(f"{name}.*.csv"))
                    _merge(parts, self.out_dir / country / f"{name}.csv", name)
            shutil.rmtree(self.parts, ignore_errors=True)
        return {name: self.counts[name] for name in TABLES}


def _merge(parts: list[Path], out: Path, table: str) -> None:
    """Sorted part files (no header) → one sorted CSV with the header, in the bytes pandas
    writes (its CSV writer is Python's, minimal quoting)."""
    contract = TABLES[table]
    names = [f.name for f in contract.fields if not f.drop]
    positions = [(names.index(k), contract.field(k).kind == "integer") for k in contract.key]

    def number(text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return -1.0

    def key(row: list[str]) -> tuple:
        return tuple(number(row[i]) if integer else row[i] for i, integer in positions)

    handles = [part.open(newline="", encoding="utf-8") for part in parts]
    try:
        with out.open("w", newline="", encoding="utf-8") as sink:
            writer = csv.writer(sink, lineterminator="\n")
            writer.writerow(names)
            writer.writerows(heapq.merge(*(csv.reader(h) for h in handles), key=key))
    finally:
        for handle in handles:
            handle.close()


def _write_meta(out_dir: Path, planted: dict[str, int], scale: float, seed: int) -> None:
    scale_value = int(scale) if float(scale).is_integer() else float(scale)
    meta = {
        "title": "Synthetic demo data",
        "title_es": "Datos sintéticos de demostración",
        "synthetic": True,
        "source": f"Synthetic data generated by analysis demo-data (seed {seed}, scale "
                  f"{scale_value}); it describes no real person or case.",
        "source_es": f"Datos sintéticos generados por analysis demo-data "
                     f"(semilla {seed}, escala {scale_value}); no describen a ninguna persona "
                     "ni caso real.",
        "seed": seed,
        "scale": scale_value,
        "licence": "CC0",
        "planted_flaws": {name: planted.get(name, 0) for name in TABLES},
        "planted_flaws_note": "Rows broken on purpose (impossible dates, negative counts, "
                              "unknown codes, countries and places, references to missing "
                              "cases, duplicated rows) so that ingestion sets them aside.",
    }
    (out_dir / "dataset.yml").write_text(
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
