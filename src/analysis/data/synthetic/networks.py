"""Synthetic smuggling structures: actors and the links between them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core import reference
from analysis.data.synthetic.draw import group_starts, pick_index, pick_rows, rank_within
from analysis.data.synthetic.geography import ROUTES, Geography, allocate
from analysis.data.synthetic.parameters import (
    AIR_ROLES,
    CONFIDENCE_BY_EVIDENCE,
    COUNTRY_WEIGHTS,
    EVIDENCE,
    EVIDENCE_BY_RELATION,
    FLOWS,
    RELATIONS,
    REPORTED_BY,
    ROLES,
    STAGE_ROLES,
    STAGES,
    STRUCTURE_SIZE,
)


def _route_countries(geo: Geography) -> list[list[str]]:
    """Each route's countries in travel order (consecutive repeats merged)."""
    out = []
    for r in range(len(ROUTES)):
        seq = [geo.country[p] for p in geo.stops[r, :geo.n_stops[r]]]
        out.append([c for i, c in enumerate(seq) if i == 0 or seq[i - 1] != c])
    return out


def draw_network(rng: np.random.Generator, geo: Geography, n_actors: int, n_links: int,
             case_ids: np.ndarray, case_country: np.ndarray, case_route: np.ndarray):
    """Structures of cells along a route stretch; dense cells, hubs at coordinators and brokers."""
    n_actors = max(n_actors, 8)
    route_countries = _route_countries(geo)
    n_struct = max(2, round(n_actors / STRUCTURE_SIZE))

    # Anchor each structure in a reporting country, on a route through it.
    anchor_counts = allocate(n_struct, COUNTRY_WEIGHTS)
    s_route, s_anchor = [], []
    for iso, count in anchor_counts.items():
        through = [r for r in range(len(ROUTES)) if iso in
                   {geo.reporter[p] for p in geo.stops[r, :geo.n_stops[r]]}]
        picked = np.array(through)[pick_index(rng, count, geo.weights[through])]
        for r in picked:
            reporters = [geo.reporter[p] for p in geo.stops[r, :geo.n_stops[r]]]
            where = reporters.index(iso)
            s_route.append(r)
            s_anchor.append(route_countries[r].index(geo.country[geo.stops[r, where]]))
    s_route, s_anchor = np.array(s_route), np.array(s_anchor)
    n_struct = len(s_route)
    m = np.array([len(route_countries[r]) for r in s_route])
    span = np.minimum(pick_index(rng, n_struct, (20, 40, 30, 10)) + 1, m)
    start = np.clip(s_anchor - rng.integers(0, span), 0, m - span)

    # Cells: one per country of the stretch.
    cell_struct = np.repeat(np.arange(n_struct), span)
    cell_pos = rank_within(span)
    cell_index = start[cell_struct] + cell_pos
    cell_country = np.array([route_countries[s_route[s]][i]
                             for s, i in zip(cell_struct, cell_index, strict=True)], dtype=object)
    last = cell_pos == span[cell_struct] - 1
    cell_stage = np.select([cell_index == 0, cell_index == m[cell_struct] - 1, last],
                           [0, 3, 2], default=1)

    # Sizes: heavy-tailed structures, split unevenly between cells (at least 3 per cell).
    raw = np.clip(rng.lognormal(np.log(STRUCTURE_SIZE * 0.65), 1.0, n_struct), 6, None)
    floor = 3 * span
    free = max(n_actors - floor.sum(), 0)
    exact = raw / raw.sum() * free
    extra = np.floor(exact).astype(np.int64)
    extra[np.argsort(extra - exact, kind="stable")[: free - extra.sum()]] += 1
    share = rng.gamma(2.0, size=len(cell_struct))
    share /= np.bincount(cell_struct, weights=share)[cell_struct]
    cell_size = 3 + np.floor(share * extra[cell_struct]).astype(np.int64)
    rest = (floor + extra) - np.bincount(cell_struct, weights=cell_size).astype(np.int64)
    first_cell = group_starts(span)
    cell_size[first_cell] += rest
    struct_size = np.bincount(cell_struct, weights=cell_size).astype(np.int64)
    struct_start = group_starts(struct_size)
    cell_start = group_starts(cell_size)

    actor_cell = np.repeat(np.arange(len(cell_size)), cell_size)
    n = len(actor_cell)
    actor_struct = cell_struct[actor_cell]
    local = rank_within(cell_size)
    size_of_cell = cell_size[actor_cell]
    stage = cell_stage[actor_cell]
    flow = geo.flow[s_route][actor_struct]
    air = np.isin(flow, [FLOWS.index("air"), FLOWS.index("air_land")])

    role_table = np.array([STAGE_ROLES[s] for s in STAGES] +
                          [np.add(STAGE_ROLES[s], AIR_ROLES[s]) for s in STAGES])
    role = pick_rows(rng, stage + 4 * air, role_table)
    n_coord = 1 + (struct_size > 40) + (struct_size > 120)
    hub = first_cell[actor_struct]  # coordinators sit in the first cell of the stretch
    coordinator = (actor_cell == hub) & (local < np.minimum(n_coord[actor_struct],
                                                            size_of_cell - 2))
    broker = (local == size_of_cell - 1) & ~last[actor_cell]  # one per hand-off to the next cell
    role[coordinator] = ROLES.index("organizer")
    role[broker] = np.array([ROLES.index(r) for r in ("organizer", "transporter",
                                                      "money_handler")])[
        pick_index(rng, int(broker.sum()), (40, 30, 30))]

    base_country = cell_country[actor_cell]
    reporter_of = {c: (c if c in reference.CRM_MEMBERS else REPORTED_BY.get(c, ""))
                   for c in set(cell_country)}
    reporting = np.array([reporter_of[c] for c in base_country], dtype=object)
    # Base place: a gazetteer place of the actor's country on the structure's route.
    base_place = np.empty(n, dtype=object)
    key = pd.Series(s_route[actor_struct]).astype(str) + "|" + pd.Series(base_country)
    for group, idx in sorted(pd.Series(np.arange(n)).groupby(key.to_numpy()).groups.items()):
        r = int(group.split("|")[0])
        places = [p for p in geo.stops[r, :geo.n_stops[r]] if geo.country[p] == base_country[
            idx[0]]]
        base_place[idx.to_numpy()] = geo.place_ids[np.array(places)][
            rng.integers(0, len(places), len(idx))]
    # Nationality: mostly the country where they operate, else that of the people they move.
    nationality = base_country.copy()
    foreign = np.flatnonzero(rng.random(n) < 0.2)
    for r in np.unique(s_route[actor_struct[foreign]]):
        mine = foreign[s_route[actor_struct[foreign]] == r]
        spec = ROUTES[r].nationalities
        codes = np.array(sorted(spec), dtype=object)
        nationality[mine] = codes[pick_index(rng, len(mine), [spec[k] for k in codes])]

    actor_case_ids = _actor_cases(rng, reporting, s_route[actor_struct], case_ids, case_country,
                                  case_route)

    # Ties. Within cells: each actor calls a few cell mates.
    calls = 1 + rng.poisson(1.4, n)
    a = np.repeat(np.arange(n), calls)
    size_a = size_of_cell[a]
    b = cell_start[actor_cell[a]] + (local[a] + rng.integers(1, size_a)) % size_a
    ties = [(a, b)]
    # Coordinators: reach into much of their structure.
    coords = np.flatnonzero(coordinator)
    reach = np.maximum(1, rng.binomial(struct_size[actor_struct[coords]], 0.6))
    a = np.repeat(coords, reach)
    s = actor_struct[a]
    ties.append((a, struct_start[s] + rng.integers(0, struct_size[s])))
    # Brokers: tie their cell to the next one and to the coordinators.
    brokers = np.flatnonzero(broker)
    k = 2 + rng.poisson(2.0, len(brokers))
    a = np.repeat(brokers, k)
    nxt = actor_cell[a] + 1
    ties.append((a, cell_start[nxt] + rng.integers(0, cell_size[nxt])))
    ties.append((brokers, struct_start[actor_struct[brokers]]))
    # A few ties across cells of the same structure.
    loose = np.flatnonzero(rng.random(n) < 0.12)
    s = actor_struct[loose]
    ties.append((loose, struct_start[s] + rng.integers(0, struct_size[s])))
    # Sparse ties between structures of the same flow, mostly between brokers and coordinators.
    connectors = np.flatnonzero(coordinator | broker)
    for f in range(len(FLOWS)):
        pool = connectors[flow[connectors] == f]
        if len(pool) < 2:
            continue
        out = pool[rng.random(len(pool)) < 0.5]
        ties.append((out, pool[rng.integers(0, len(pool), len(out))]))
        members = np.flatnonzero(flow == f)
        odd = members[rng.random(len(members)) < 0.02]
        ties.append((odd, members[rng.integers(0, len(members), len(odd))]))
    a = np.concatenate([t[0] for t in ties])
    b = np.concatenate([t[1] for t in ties])
    keep = a != b
    pairs = np.unique(np.stack([np.minimum(a, b)[keep], np.maximum(a, b)[keep]], axis=1),
                      axis=0)
    flip = rng.random(len(pairs)) < 0.5
    pairs[flip] = pairs[flip][:, ::-1]

    # Link rows: each tie observed in one or more months, under one or more relations.
    n_pairs = len(pairs)
    # (a few rows collapse when a pair draws the same relation and month twice)
    per_pair = 1 + rng.poisson(max(1.04 * n_links / max(n_pairs, 1) - 1, 0), n_pairs)
    row_pair = np.repeat(np.arange(n_pairs), per_pair)
    row_rank = rank_within(per_pair)
    same_cell = actor_cell[pairs[:, 0]] == actor_cell[pairs[:, 1]]
    primary = pick_rows(rng, same_cell.astype(int), np.array([(50, 12, 15, 23, 0),
                                                               (48, 10, 15, 17, 10)]))
    later = pick_index(rng, len(row_pair), (60, 20, 10, 10, 0))
    relation = np.where((row_rank == 0) | (rng.random(len(row_pair)) < 0.7),
                        primary[row_pair], later)
    relation = np.where((row_rank > 0) & (relation == RELATIONS.index("kinship")), 0, relation)
    active_start = rng.integers(0, 60, n_struct)
    active_len = rng.integers(6, 37, n_struct)
    s = actor_struct[pairs[row_pair, 0]]
    month = np.minimum(active_start[s] + rng.integers(0, active_len[s]), 71)
    src, dst = pairs[row_pair, 0], pairs[row_pair, 1]
    rows = np.unique(np.stack([src, dst, relation, month], axis=1), axis=0)
    src, dst, relation, month = rows.T
    r_names = np.array(RELATIONS, dtype=object)[relation]
    weight = np.select(
        [relation == 0, relation == 1, relation == 2, relation == 3],
        [np.ceil(rng.lognormal(np.log(8), 1.0, len(rows))), rng.integers(1, 21, len(rows)),
         rng.integers(1, 6, len(rows)), rng.integers(1, 11, len(rows))], default=1)
    evidence = pick_rows(rng, relation, np.array([EVIDENCE_BY_RELATION[r] for r in RELATIONS]))
    confidence = pick_rows(rng, evidence, np.array([CONFIDENCE_BY_EVIDENCE[e]
                                                     for e in EVIDENCE]))
    period = (np.datetime64("2019-01", "M") + month.astype("timedelta64[M]"))

    actors = pd.DataFrame({
        "reporting_country": reporting, "role": np.array(ROLES, dtype=object)[role],
        "base_country": base_country, "base_place": base_place, "nationality": nationality,
        "route_stage": np.array(STAGES, dtype=object)[stage], "case_ids": actor_case_ids,
    })
    links = pd.DataFrame({
        "source": src, "target": dst, "relation": r_names, "weight": weight,
        "period": np.datetime_as_string(period, unit="M").astype(object),
        "evidence_source": np.array(EVIDENCE, dtype=object)[evidence],
        "confidence": np.array(("low", "medium", "high"), dtype=object)[confidence],
    })
    return actors, links


def _actor_cases(rng, reporting, route, case_ids, case_country, case_route) -> np.ndarray:
    """Up to three case ids per actor, from cases of its reporting country (its route first)."""
    n = len(reporting)
    out = np.full(n, "", dtype=object)
    count = pick_index(rng, n, (35, 40, 17, 8))
    case_key = pd.Series(case_country).astype(str) + "|" + pd.Series(case_route).astype(str)
    by_key = {k: np.sort(v.to_numpy()) for k, v in
              pd.Series(np.arange(len(case_ids))).groupby(case_key.to_numpy()).groups.items()}
    by_country = {k: np.sort(v.to_numpy()) for k, v in
                  pd.Series(np.arange(len(case_ids))).groupby(case_country).groups.items()}
    actor_key = pd.Series(reporting).astype(str) + "|" + pd.Series(route).astype(str)
    groups = pd.Series(np.arange(n)).groupby(actor_key.to_numpy()).groups
    for key in sorted(groups):
        idx = groups[key].to_numpy()
        pool = by_key.get(key)
        if pool is None:
            pool = by_country.get(key.split("|")[0])
        if pool is None:
            continue
        draws = case_ids[pool[rng.integers(0, len(pool), (len(idx), 3))]]
        first, second, third = draws[:, 0], draws[:, 1], draws[:, 2]
        k = count[idx]
        text = np.where(k >= 1, first, "").astype(object)
        second_ok = (k >= 2) & (second != first)
        text = np.where(second_ok, text + ";" + second, text)
        third_ok = (k >= 3) & (third != first) & (third != second)
        out[idx] = np.where(third_ok, text + ";" + third, text)
    return out
