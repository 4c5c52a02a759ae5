"""Synthetic cases, their route legs and the migrants in them."""

from __future__ import annotations

import numpy as np

from analysis.core import reference
from analysis.data.synthetic.draw import (
    codes_joined,
    group_starts,
    nice,
    pick_index,
    pick_rows,
    random_days,
    rank_within,
    shares,
)
from analysis.data.synthetic.geography import (
    ROUTES,
    Geography,
    allocate,
    darien_gap,
    detection_options,
    year_table,
)
from analysis.data.synthetic.parameters import (
    AGE_BANDS,
    AGES,
    COUNTRY_WEIGHTS,
    CRIME_WEIGHTS,
    CRIMES,
    FLOWS,
    LOCAL_CURRENCY,
    MAX_LEGS,
    MAX_MIGRANTS,
    OUTCOMES,
    PAYMENT,
    PAYMENT_CODES,
    REASON,
    REASONS,
    RECRUITMENT,
    RECRUITMENT_CODES,
    SENTENCES,
    SERVICE,
    SEX,
    SEXES,
    YEARS,
)


def draw_cases(rng: np.random.Generator, geo: Geography, n: int, legs_target: int):
    """Cases (one per detection) and their route legs, as arrays (no ids yet)."""
    options = detection_options(geo)
    route, stop, country = [], [], []
    for iso, count in allocate(n, COUNTRY_WEIGHTS).items():
        mine = options[options["country"] == iso]
        pick = rng.choice(len(mine), size=count, p=shares(mine["weight"]))
        route.append(mine["route"].to_numpy()[pick])
        stop.append(mine["stop"].to_numpy()[pick])
        country.append(np.full(count, iso, dtype=object))
    route, stop, country = map(np.concatenate, (route, stop, country))
    year = YEARS[pick_rows(rng, route, year_table())]
    date = random_days(rng, year)

    # Legs: a window of consecutive legs ending at the detection stop, sized to hit the target.
    room = np.minimum(stop, MAX_LEGS)
    share = rng.random(n)
    lo, hi = 0.0, 20.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if np.clip(np.ceil(share * mid), 1, room).sum() < legs_target:
            lo = mid
        else:
            hi = mid
    n_legs = np.clip(np.ceil(share * hi), 1, room).astype(np.int64)
    leg_case = np.repeat(np.arange(n), n_legs)
    leg_order = rank_within(n_legs) + 1
    leg_pos = np.repeat(stop - n_legs, n_legs) + leg_order - 1
    leg_route = route[leg_case]
    leg_from = geo.stops[leg_route, leg_pos]
    leg_to = geo.stops[leg_route, leg_pos + 1]
    leg_mode = geo.modes[leg_route, leg_pos]

    modes_used = np.zeros((n, 3), dtype=np.int64)
    np.add.at(modes_used, (leg_case, leg_mode), 1)
    single = (modes_used > 0).sum(axis=1) == 1
    transport = np.where(single, modes_used.argmax(axis=1), 3)  # 3: mixed
    last_mode = geo.modes[route, stop - 1]
    has_air = modes_used[:, 2] > 0
    cases = dict(route=route, stop=stop, country=country, date=date, year=year,
                 transport=transport, last_mode=last_mode, has_air=has_air,
                 place=geo.stops[route, stop], flow=geo.flow[route])
    legs = dict(case=leg_case, order=leg_order, src=leg_from, dst=leg_to, mode=leg_mode)
    return cases, legs


def draw_case_details(rng: np.random.Generator, geo: Geography, c: dict) -> dict:
    """Detection context, concealment, migrants, fees, crimes and outcomes of each case."""
    n = len(c["route"])
    flow = c["flow"]
    kind = geo.kind[c["place"]]
    arrived_by_sea = c["last_mode"] == 1

    context_codes = ("border_check", "inland_check", "sea_interdiction", "airport",
                     "investigation", "rescue", "other")
    context_table = np.array([
        (70, 10, 0, 0, 15, 4, 1),   # border crossing
        (0, 0, 0, 85, 15, 0, 0),    # airport
        (0, 0, 60, 0, 15, 25, 0),   # arrival by sea
        (10, 40, 0, 0, 20, 25, 5),  # jungle and reception stations
        (5, 55, 0, 0, 35, 2, 3),    # cities and transit hubs
    ])
    setting = np.select(
        [arrived_by_sea, (c["last_mode"] == 2) | (kind == "airport"), kind == "border_crossing",
         np.isin(kind, ["jungle_crossing", "reception_station"])], [2, 1, 0, 3], default=4)
    context = pick_rows(rng, setting, context_table)

    concealment_codes = ("none", "vehicle_compartment", "cargo_truck", "passenger_bus", "boat",
                         "on_foot_trail", "other")
    concealment_table = np.array([
        (15, 20, 22, 20, 0, 18, 5),  # land
        (0, 0, 0, 0, 95, 0, 5),      # sea
        (85, 0, 0, 0, 0, 0, 15),     # air
        (5, 5, 5, 10, 0, 75, 0),     # on foot through the jungle
    ])
    darien_place = geo.places["corridor"].str.contains("darien").to_numpy()[c["place"]]
    walk = (c["last_mode"] == 0) & darien_place
    concealment = pick_rows(rng, np.where(walk, 3, c["last_mode"]), concealment_table)

    # Migrants per case: small groups by car or bus, large ones in trucks and boats.
    median = np.select([concealment == 2, concealment == 4, c["last_mode"] == 2,
                        concealment == 5], [22.0, 18.0, 1.2, 6.0], default=2.5)
    sigma = np.select([c["last_mode"] == 2], [0.5], default=0.75)
    migrants = np.clip(np.round(median * rng.lognormal(0.0, sigma, n)), 1, MAX_MIGRANTS)
    migrants = migrants.astype(np.int64)

    investigation = context == context_codes.index("investigation")
    detained = rng.poisson(np.where(investigation, 2.2, np.where(c["last_mode"] == 2, 0.3, 0.8)))

    service = pick_rows(rng, flow, np.array([SERVICE[f] for f in FLOWS]))
    growth = 1 + 0.07 * (c["year"] - 2019)
    package = np.array([r.package_fee_usd for r in ROUTES])[c["route"]] * growth
    stage_share = rng.uniform(0.15, 0.45, n)
    fee_usd = package * np.select([service == 1, service == 2], [stage_share, 0.7], 1.0)
    fee_usd *= rng.lognormal(0.0, 0.3, n)
    local = np.array([LOCAL_CURRENCY.get(k, ("USD", 1.0)) for k in c["country"]], dtype=object)
    use_local = (rng.random(n) < 0.35) & (local[:, 0] != "USD")
    currency = np.where(use_local, local[:, 0], "USD")
    rate = np.where(use_local, local[:, 1].astype(float), 1.0)
    fee = nice(fee_usd * rate)
    has_fee = rng.random(n) < 0.8

    payment = pick_rows(rng, (c["has_air"]).astype(int),
                         np.array([PAYMENT["default"], PAYMENT["air"]]))
    fraud_table = np.array([(92, 5, 2, 1, 0), (97, 2, 1, 0, 0), (30, 30, 15, 15, 10)])
    fraud = pick_rows(rng, np.where(c["has_air"], 2, np.where(c["transport"] == 1, 1, 0)),
                       fraud_table)
    recruitment = pick_rows(rng, flow, np.array([RECRUITMENT[f] for f in FLOWS]))

    has_crime = rng.random(n) < np.where(flow == FLOWS.index("darien"), 0.3, 0.16)
    crime_mask = rng.random((n, len(CRIMES))) < CRIME_WEIGHTS
    crime_mask[:, CRIMES.index("corruption")] |= (rng.random(n) < 0.1) & (
        setting <= 1)  # officials at border posts and airports
    first = (rng.random((n, len(CRIMES))) * CRIME_WEIGHTS).argmax(axis=1)
    crime_mask[np.arange(n), first] = True
    crime_mask &= has_crime[:, None]

    outcome_table = np.array([(48, 26, 16, 4, 6), (85, 0, 0, 0, 15)])
    outcome = pick_rows(rng, (detained == 0).astype(int), outcome_table)
    bounds = np.array([SENTENCES[k] for k in c["country"]], dtype=float)
    sentence = np.round(rng.uniform(bounds[:, 0], bounds[:, 1]) * 2) / 2
    convicted = outcome == OUTCOMES.index("convicted")

    return dict(
        context=np.array(context_codes, dtype=object)[context],
        concealment=np.array(concealment_codes, dtype=object)[concealment],
        migrants=migrants, detained=detained,
        service=np.array(("package", "pay_as_you_go", "unknown"), dtype=object)[service],
        fee=fee, has_fee=has_fee, currency=currency.astype(object), rate=rate,
        payment=np.array(PAYMENT_CODES, dtype=object)[payment],
        fraud=np.array(("none", "forged", "altered", "impostor", "fraudulently_obtained"),
                       dtype=object)[fraud],
        recruitment=np.array(RECRUITMENT_CODES, dtype=object)[recruitment],
        crimes=codes_joined(crime_mask, CRIMES),
        outcome=np.array(OUTCOMES, dtype=object)[outcome],
        sentence=sentence, convicted=convicted,
    )


def draw_leg_details(rng: np.random.Generator, geo: Geography, c: dict, d: dict, legs: dict):
    """Dates (walking back from the detection date) and costs of the route legs."""
    n = len(legs["case"])
    jungle = darien_gap(geo, legs["src"], legs["dst"], legs["mode"])
    days = np.select([legs["mode"] == 2, legs["mode"] == 1, jungle],
                     [rng.integers(0, 2, n), rng.integers(1, 3, n), rng.integers(2, 7, n)],
                     default=rng.integers(0, 4, n))
    cum = np.cumsum(days)
    sizes = np.bincount(legs["case"], minlength=len(c["route"]))
    ends = np.cumsum(sizes) - 1
    starts = group_starts(sizes)
    before = np.where(starts > 0, cum[np.maximum(starts - 1, 0)], 0)
    total = cum[ends] - before
    inclusive = cum - before[legs["case"]]
    remaining = total[legs["case"]] - inclusive + days
    date = c["date"][legs["case"]] - remaining.astype("timedelta64[D]")
    date = np.maximum(date, np.datetime64("2019-01-01"))

    src_country = geo.country[legs["src"]]
    dst_country = geo.country[legs["dst"]]
    into_usa = (src_country == "MEX") & (dst_country == "USA")
    crossing = src_country != dst_country
    base = np.select(
        [legs["mode"] == 2, legs["mode"] == 1, into_usa, jungle, crossing],
        [450.0, 900.0, 3500.0, 250.0, 120.0], default=45.0)
    cost_usd = base * rng.lognormal(0.0, 0.35, n)
    service = d["service"][legs["case"]]
    present = np.where(service == "pay_as_you_go", rng.random(n) < 0.85,
                       np.where(service == "unknown", rng.random(n) < 0.4, False))
    local = np.array([LOCAL_CURRENCY.get(k, ("USD", 1.0)) for k in src_country], dtype=object)
    use_local = (rng.random(n) < 0.3) & (local[:, 0] != "USD")
    currency = np.where(use_local, local[:, 0], "USD").astype(object)
    cost = nice(cost_usd * np.where(use_local, local[:, 1].astype(float), 1.0))
    return dict(date=date, cost=cost, present=present, currency=currency)


# --- migrants --------------------------------------------------------------------------------

def draw_migrants(rng: np.random.Generator, c: dict, d: dict, target: int):
    """The rows listed for each case, minors per case (counted over everyone in the case) and
    each case's main nationality."""
    countries = reference.countries()
    n_cases = len(c["route"])
    sizes = d["migrants"]
    person_case = np.repeat(np.arange(n_cases), sizes)
    n = len(person_case)
    flow = c["flow"][person_case]
    route = c["route"][person_case]

    nationality = np.empty(n, dtype=object)
    main = np.empty(n_cases, dtype=object)
    for r, spec in enumerate(ROUTES):
        codes = np.array(sorted(spec.nationalities), dtype=object)
        weights = [spec.nationalities[k] for k in codes]
        in_cases = np.flatnonzero(c["route"] == r)
        main[in_cases] = codes[pick_index(rng, len(in_cases), weights)]
        mine = np.flatnonzero(route == r)
        nationality[mine] = codes[pick_index(rng, len(mine), weights)]
    same = rng.random(n) < 0.8
    nationality = np.where(same, main[person_case], nationality)

    age = pick_rows(rng, flow, np.array([AGES[f] for f in FLOWS]))
    sex = pick_rows(rng, flow, np.array([SEX[f] for f in FLOWS]))
    minor = age <= 1
    minors = np.bincount(person_case, weights=minor, minlength=n_cases).astype(np.int64)

    nca = flow == FLOWS.index("nca")
    p_alone = np.where(age == 1, np.where(nca, 0.45, 0.08), np.where(nca, 0.06, 0.02))
    unaccompanied = minor & (rng.random(n) < p_alone)
    separated = minor & ~unaccompanied & (rng.random(n) < 0.05)

    subregion = countries["unsd_subregion"].reindex(nationality).fillna("").to_numpy()
    extra = ~np.isin(subregion, reference.AMERICAS)
    protection = np.isin(nationality, ["VEN", "HTI", "NIC", "CUB", "AFG", "SOM", "ERI"])
    darien = flow == FLOWS.index("darien")
    female = sex == 0
    vulnerability = np.column_stack([
        unaccompanied | separated,
        minor & (rng.random(n) < 0.02),
        rng.random(n) < 0.008,
        rng.random(n) < np.where(protection, 0.08, 0.03),
        extra & (rng.random(n) < 0.6),
        rng.random(n) < np.where(darien, 0.06, 0.025),
        female & (age >= 1) & (rng.random(n) < 0.04),
    ])
    vulnerability_text = codes_joined(vulnerability, reference.code_list("vulnerability"))

    origin = nationality.copy()
    moved = rng.random(n)
    origin = np.where((nationality == "VEN") & (moved < 0.3),
                      np.array(["COL", "PER", "CHL"], dtype=object)[rng.integers(0, 3, n)],
                      origin)
    origin = np.where((nationality == "HTI") & darien & (moved < 0.45),
                      np.array(["CHL", "BRA"], dtype=object)[rng.integers(0, 2, n)], origin)

    reason = pick_rows(rng, flow, np.array([REASON[f] for f in FLOWS]))
    destination = np.array([r.destination for r in ROUTES], dtype=object)[route]
    alternatives = np.array(["MEX", "CAN", "CRI", "PAN"], dtype=object)
    other = alternatives[pick_index(rng, n, (45, 25, 18, 12))]
    intended = np.where(rng.random(n) < 0.85, destination, other)
    intended = np.where((destination == "PRI") & (rng.random(n) < 0.4), "USA", intended)

    fee = nice(d["fee"][person_case] * rng.lognormal(0.0, 0.1, n))
    has_fee = d["has_fee"][person_case] & (rng.random(n) < 0.7)

    # Listed rows: cases with a list of persons, capped so that the total meets the target.
    listed_case = rng.random(n_cases) < 0.9
    capped = np.where(listed_case, sizes, 0)
    lo, hi = 0, MAX_MIGRANTS
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if np.minimum(capped, mid).sum() <= target:
            lo = mid
        else:
            hi = mid - 1
    rows = np.minimum(capped, max(lo, 1))
    listed = rank_within(sizes) < rows[person_case]

    people = dict(case=person_case, nationality=nationality, sex=np.array(SEXES)[sex],
                  age=np.array(AGE_BANDS)[age], unaccompanied=unaccompanied,
                  separated=separated, minor=minor, vulnerability=vulnerability_text,
                  origin=origin, intended=intended, reason=np.array(REASONS)[reason],
                  fee=fee, has_fee=has_fee)
    people = {k: v[listed] for k, v in people.items()}
    return people, minors, main
