"""Data at national scale: chunked generation, streaming validation, the partitioned cache,
filters pushed down to it and SQL over it."""

from __future__ import annotations

import dataclasses
import filecmp
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import shared_build, small_tables, write_folder
from hypothesis import HealthCheck, given, settings
from test_hostile_input import broken_tables

from analysis.core import paths
from analysis.core.contract import TABLES
from analysis.data import ingest as io
from analysis.data import validation
from analysis.data.sources import read_folder
from analysis.data.synthetic.generate import _sorted, generate
from analysis.data.validation import numeric_totals, validate, validate_folder

CHUNKED = dict(scale=0.45, seed=11, chunk_scale=0.15)  # three chunks


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def chunked(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """The chunked folder and its rows per table, generated once per session: the module's
    fast tests and its slow ones may run on two workers."""
    folder, counts = shared_build(tmp_path_factory, "scale_chunked",
                                  lambda folder: generate(folder / "data", **CHUNKED))
    return folder / "data", counts


def assert_same_validation(whole, streamed) -> None:
    """Same problems in the same order, same set-aside rows, counts and accepted rows."""
    assert [vars(p) for p in streamed.problems] == [vars(p) for p in whole.problems]
    assert streamed.countries == whole.countries
    for name in TABLES:
        a, b = whole.tables[name], streamed.tables[name]
        pd.testing.assert_frame_equal(b.set_aside.reset_index(drop=True),
                                      a.set_aside.reset_index(drop=True), check_dtype=False)
        pd.testing.assert_frame_equal(b.counts, a.counts, check_dtype=False)
        pd.testing.assert_frame_equal(b.accepted.reset_index(drop=True),
                                      a.accepted.reset_index(drop=True), check_dtype=False)


class KeptPool:
    """A pool of country-checking processes (`validation._pool`) kept from one validation to
    the next, so that many small folders are checked in processes without starting them for
    each folder; `close` ends it."""

    def __init__(self, pool):
        self.pool = pool

    def __getattr__(self, name):
        return getattr(self.pool, name)

    def shutdown(self, *args, **kwargs) -> None:  # a validation is done, not the pool
        pass

    def close(self) -> None:
        self.pool.shutdown()


@pytest.fixture(scope="module", autouse=True)
def kept_pools():
    """`validation._pool` handing out one kept pool per number of processes, for every test
    of the module: the processes are started (as `_pool` starts them) once per number, not
    for each validation. The pools by number; `asked`, the number of each request, in order.
    A worker holds no state from one validation to the next: whatever it needs (the sink,
    the identifiers of accepted actors, the folder) comes with each country's task."""
    pools: dict[int, KeptPool] = {}
    asked: list[int] = []
    start = validation._pool

    def kept(workers: int) -> KeptPool:
        asked.append(workers)
        if workers not in pools:
            pools[workers] = KeptPool(start(workers))
        return pools[workers]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validation, "_pool", kept)
        yield KeptPools(pools, asked)
    for pool in pools.values():
        pool.close()


@dataclasses.dataclass
class KeptPools:
    pools: dict[int, KeptPool]
    asked: list[int]


# --- chunked generation ----------------------------------------------------------------------

def test_chunked_generation_gives_the_same_bytes_for_the_same_seed(chunked, tmp_path):
    out, counts = chunked
    again = tmp_path / "again"
    assert generate(again, **CHUNKED) == counts
    assert _files(again) == _files(out)
    _, mismatch, errors = filecmp.cmpfiles(out, again, _files(out), shallow=False)
    assert mismatch == [] and errors == []
    assert not (out / ".parts").exists()


def test_chunk_boundaries_are_invisible(chunked):
    """Files sorted by key over every chunk, one header, identifiers numbered on from chunk
    to chunk without a gap or a repeat, and nothing left dangling between chunks: ingestion
    sets aside exactly the planted rows."""
    out, counts = chunked
    assert counts["cases"] == pytest.approx(0.45 * 1500, rel=0.02)
    for path in sorted(out.glob("*/*.csv")):
        frame = _read(path)
        table = path.stem
        pd.testing.assert_frame_equal(_sorted(frame, table), frame)
        assert list(frame.columns) == [f.name for f in TABLES[table].fields if not f.drop]
    for country in ("MEX", "GTM"):
        cases = _read(out / country / "cases.csv")
        real = cases[~cases["case_id"].str.contains(r"-99\d{4}$")].drop_duplicates("case_id")
        for year, ids in real.groupby(real["case_id"].str[4:8])["case_id"]:
            numbers = sorted(ids.str[9:].astype(int))
            assert numbers == list(range(1, len(numbers) + 1)), (country, year)
        for table, column, marker in (("migrants", "person_id", "-P-"),
                                      ("actors", "actor_id", "-A-"),
                                      ("incidents", "incident_id", "-I-")):
            ids = _read(out / country / f"{table}.csv")[column].drop_duplicates()
            numbers = ids.str.split(marker).str[1].astype(int)
            numbers = sorted(numbers[numbers < 9_000_000])  # planted rows use 9000000 on
            assert numbers == list(range(1, len(numbers) + 1)), (country, table)
    meta = yaml.safe_load((out / "dataset.yml").read_text(encoding="utf-8"))
    result = validate_folder(out, stream=True)
    assert result.errors == []
    for name, checked in result.tables.items():
        assert len(checked.set_aside) == meta["planted_flaws"][name], name
    links = result.tables["links"]
    assert len(links.set_aside) == 0 and links.counts["accepted"].sum() == counts["links"]


def test_one_chunk_is_the_unchunked_draw(tmp_path):
    one = tmp_path / "one"
    generate(one, scale=0.2, seed=5, chunk_scale=1)
    plain = tmp_path / "plain"
    generate(plain, scale=0.2, seed=5)
    _, mismatch, errors = filecmp.cmpfiles(one, plain, _files(one), shallow=False)
    assert mismatch == [] and errors == []


# --- streaming validation --------------------------------------------------------------------

@pytest.mark.slow
def test_streaming_validation_equals_validating_everything_at_once(chunked):
    assert_same_validation(validate(read_folder(paths.DEMO)),
                           validate_folder(paths.DEMO, stream=True, workers=1))
    out, _ = chunked
    whole = validate(read_folder(out))
    assert_same_validation(whole, validate_folder(out, stream=True, workers=1))
    assert_same_validation(whole, validate_folder(out, stream=True, workers=2))


def _untidy_folder(root: Path) -> Path:
    """Three countries, one of them sent twice (a folder and a workbook by its name), links
    to another country's actors, rows to set aside, a stray file and a folder that is not a
    country: whatever one country's outcome owes to the ones read before it."""
    gtm = small_tables("GTM")
    gtm["cases"].loc[1, "migrants"] = "many"
    gtm["migrants"].loc[2, "case_id"] = "C9"
    hnd = small_tables("HND")
    gtm["actors"].loc[2, "actor_id"] = "A9"
    hnd["links"] = hnd["links"].assign(target="A9")  # GTM's actor, resolved across countries
    hnd["actors"].loc[2, "role"] = "wizard"
    write_folder(root, gtm, "GTM")
    write_folder(root, hnd, "HND")
    with pd.ExcelWriter(root / "Guatemala.xlsx") as book:  # GTM again: a repeat, not read
        for name, frame in small_tables("GTM").items():
            frame.to_excel(book, sheet_name=name, index=False)
    write_folder(root, small_tables("MEX"), "MEX")
    (root / "notes.txt").write_text("not data\n", encoding="utf-8")
    (root / "Atlantis").mkdir()
    return root


@pytest.mark.slow
@pytest.mark.parametrize("workers", [2, 3])
def test_country_processes_give_the_one_process_outcome(tmp_path, workers):
    """Problems, set-aside rows, counts, totals and the rows given to the sink, in the same
    order, whatever the number of processes that check the countries."""
    root = _untidy_folder(tmp_path / "data")
    whole = validate(read_folder(root))
    assert any(p.code == "country_twice" for p in whole.problems)
    seen: dict[int, list] = {}
    for n in (1, workers):
        calls: list = []
        result = validate_folder(root, sink=lambda t, c, rows, calls=calls: calls.append(
            (t, c, rows)), stream=True, workers=n)
        assert_same_validation(whole, dataclasses.replace(result, tables={
            name: dataclasses.replace(checked, accepted=whole.tables[name].accepted)
            for name, checked in result.tables.items()}))
        seen[n] = calls
    assert [(t, c) for t, c, _ in seen[workers]] == [(t, c) for t, c, _ in seen[1]]
    for (_, _, a), (_, _, b) in zip(seen[1], seen[workers], strict=True):
        pd.testing.assert_frame_equal(b, a)
    again = validate_folder(root, stream=True, workers=workers)
    assert_same_validation(whole, again)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_a_sink_the_workers_use_themselves_gives_the_same_outcome(tmp_path, workers):
    """With a staged sink (`Discard`, what `analysis validate` uses) the workers give the
    rows to it themselves and send back no accepted row: problems, set-aside rows, counts and
    totals are those of a sink in this process, repeats and cross-country links included."""
    root = _untidy_folder(tmp_path / "data")
    here = validate_folder(root, sink=lambda t, c, rows: None, stream=True, workers=1)
    staged = validate_folder(root, sink=validation.Discard(), stream=True, workers=workers)
    assert_same_validation(here, staged)
    assert any(p.code == "country_twice" for p in staged.problems)
    for name in TABLES:
        assert staged.tables[name].totals == here.tables[name].totals, name
    assert staged.tables["cases"].totals["GTM"] != {}


def test_countries_are_checked_in_one_process_when_two_would_not_fit(tmp_path, monkeypatch):
    root = tmp_path / "data"
    for country in ("GTM", "HND"):
        write_folder(root, small_tables(country), country)
    entries = [root / "GTM", root / "HND"]
    for available, want in ((1, 1), (1 << 40, 2), (None, 2)):
        monkeypatch.setattr(validation.memory, "available", lambda available=available: (
            available))
        assert validation._affordable(2, entries) == want, available
    assert validation._affordable(1, entries) == 1

    def no_pool(workers):
        raise AssertionError(f"{workers} processes started")

    monkeypatch.setattr(validation.memory, "available", lambda: 1)
    monkeypatch.setattr(validation, "_pool", no_pool)
    alone = validate_folder(root, stream=True, workers=2)
    assert_same_validation(validate(read_folder(root)), alone)


@pytest.mark.slow
def test_the_cache_of_an_untidy_folder_is_the_same_bytes_in_one_or_three_processes(
        tmp_path, monkeypatch):
    """Cross-country links, rows set aside, a stray file and folder: the partitions the
    workers wrote are moved into place as the entries are taken, and nothing else stays. (A
    country sent twice is an error: no cache is written.)"""
    root = _untidy_folder(tmp_path / "data")
    (root / "Guatemala.xlsx").unlink()
    monkeypatch.setattr(validation, "STREAM_BYTES", 0)
    caches = []
    for workers in (1, 3):
        monkeypatch.setenv(paths.STATE_ENV, str(tmp_path / f"state_{workers}"))
        monkeypatch.setattr(validation, "WORKERS", workers)
        io.ingest(root)
        caches.append(paths.cache_dir(root))
    one, three = caches
    assert _files(one) == _files(three) != []
    assert not any(io.STAGING in f for f in _files(three))
    _, mismatch, errors = filecmp.cmpfiles(one, three, _files(one), shallow=False)
    assert mismatch == [] and errors == []


@pytest.mark.slow
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=broken_tables())
def test_streaming_validation_equals_whole_on_broken_folders(tmp_path_factory, kept_pools,
                                                             case):
    """Broken tables in one country, a valid second country whose links point to the first
    country's actors (a cross-country reference checked against a set of identifiers),
    checked in two processes (kept from one folder to the next)."""
    tables, _ = case
    root = tmp_path_factory.mktemp("broken")
    write_folder(root, tables, "GTM")
    other = small_tables("HND")
    other["links"] = other["links"].assign(target=tables["actors"]["actor_id"].iloc[0]
                                           if "actor_id" in tables["actors"] else "A9")
    write_folder(root, other, "HND")
    before = len(kept_pools.asked)
    assert_same_validation(validate(read_folder(root)),
                           validate_folder(root, stream=True, workers=2))
    assert kept_pools.asked[before:] == [2]


@pytest.mark.slow
@pytest.mark.parametrize("stream", [True, False])
def test_streamed_rows_reach_the_sink_one_country_at_a_time(chunked, stream):
    out, _ = chunked
    seen: list[tuple[str, str, int]] = []
    result = validate_folder(out, sink=lambda t, c, rows: seen.append((t, c, len(rows))),
                             stream=stream)
    assert all(checked.accepted.empty for checked in result.tables.values())
    for name, checked in result.tables.items():
        got = {c: n for t, c, n in seen if t == name}
        want = dict(zip(checked.counts["reporting_country"], checked.counts["accepted"],
                        strict=True))
        assert got == want, name
    countries = [c for _, c, _ in seen]
    assert countries == sorted(countries)  # every table of a country before the next country
    whole = validate_folder(out)  # without a sink: rows kept, totals computed from them
    for name, checked in result.tables.items():
        assert checked.totals == numeric_totals(TABLES[name], whole.tables[name].accepted)
    assert result.tables["cases"].totals["MEX"]["migrants"] > 0


# --- the partitioned cache -------------------------------------------------------------------

@pytest.fixture(scope="module")
def ingested_once(chunked, tmp_path_factory) -> tuple[Path, Path]:
    """The chunked folder and a state folder holding its cache, written once per session."""
    out, _ = chunked

    def ingest(state: Path) -> None:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(paths.STATE_ENV, str(state))
            mp.setattr(validation, "STREAM_BYTES", 0)  # the streaming path, as at national scale
            mp.setattr(validation, "WORKERS", 2)  # countries checked in two processes
            io.ingest(out)

    state, _ = shared_build(tmp_path_factory, "scale_chunked_state", ingest)
    return out, state


@pytest.fixture
def cached(ingested_once, monkeypatch) -> Path:
    """The chunked data folder, its cache written once for the module."""
    out, state = ingested_once
    monkeypatch.setenv(paths.STATE_ENV, str(state))
    return out


@pytest.mark.slow
def test_the_cache_is_the_same_bytes_whatever_the_number_of_processes(chunked, ingested_once,
                                                                        tmp_path, monkeypatch):
    """Ingesting with one process writes the same files, byte for byte, as with two (the
    module's cache): partitions, set-aside rows and the ingestion record."""
    out, state = ingested_once
    monkeypatch.setenv(paths.STATE_ENV, str(tmp_path))
    monkeypatch.setattr(validation, "STREAM_BYTES", 0)
    monkeypatch.setattr(validation, "WORKERS", 1)
    io.ingest(out)
    one = paths.cache_dir(out)
    monkeypatch.setenv(paths.STATE_ENV, str(state))
    two = paths.cache_dir(out)
    assert _files(one) == _files(two)
    _, mismatch, errors = filecmp.cmpfiles(one, two, _files(one), shallow=False)
    assert mismatch == [] and errors == []
    private_one = paths.set_aside_dir(out)
    monkeypatch.setenv(paths.STATE_ENV, str(tmp_path))
    private_two = paths.set_aside_dir(out)
    assert _files(private_one) == _files(private_two) != []
    _, mismatch, errors = filecmp.cmpfiles(private_one, private_two, _files(private_one),
                                           shallow=False)
    assert mismatch == [] and errors == []


def test_cache_is_partitioned_by_country_and_year(cached):
    folder = paths.cache_dir(cached)
    data = io.load(cached)
    for name in TABLES:
        frame = data.tables[name]
        found = sorted(str(p.relative_to(folder / name)).rsplit("/", 1)[0]
                       for p in (folder / name).rglob("*.parquet"))
        if name in io.PARTITION_DATES:
            years = io.partition_years(name, frame)
            want = sorted({f"reporting_country={c}/year={y}" for c, y in
                           zip(frame["reporting_country"], years, strict=True)})
        else:
            want = sorted({f"reporting_country={c}" for c in frame["reporting_country"]})
        assert found == want, name
        assert all(p.name == "part-0.parquet" for p in (folder / name).rglob("*.parquet"))
    assert "year=2021" in str(next((folder / "cases").glob("reporting_country=GTM/year=2021")))


def _pandas_filter(tables: dict[str, pd.DataFrame], countries, period) -> dict:
    """The filters load applies, written with pandas over the whole tables."""
    tables = dict(tables)
    if countries:
        tables = {n: t[t["reporting_country"].isin(countries)] for n, t in tables.items()}
    start, end = io.parse_period(period)
    if start is not None or end is not None:
        flows = tables["flows"]
        text = flows["period"].astype(str)
        first = pd.to_datetime(text.where(text.str.len() > 4, text + "-01"), format="%Y-%m")
        last = (first + pd.offsets.MonthEnd(1)).where(text.str.len() > 4,
                                                      first + pd.offsets.YearEnd(1))
        tables["flows"] = flows[((first >= start) if start is not None else True)
                                & ((last <= end) if end is not None else True)]
        for name in ("cases", "incidents", "workplan_status", "links"):
            column = "period" if name == "links" else "date"
            table = tables[name]
            within = pd.Series(True, index=table.index)
            if start is not None:
                within &= table[column] >= start
            if end is not None:
                within &= table[column] <= end
            keep = table[column].isna() if name == "links" else False
            tables[name] = table[keep | within]
        keys = set(zip(tables["cases"]["reporting_country"], tables["cases"]["case_id"],
                       strict=True))
        for name in ("migrants", "route_legs"):
            table = tables[name]
            inside = [k in keys for k in zip(table["reporting_country"], table["case_id"],
                                              strict=True)]
            tables[name] = table[table["case_id"].isna() | pd.Series(inside, table.index)]
    return {n: t.reset_index(drop=True) for n, t in tables.items()}


@pytest.mark.parametrize("countries, period", [
    (None, "2021:2022"), ("GTM,HND", None), ("MEX", "2020-03:2023-06"),
    ("USA,PAN,CRI", "2022"), (None, ":2020-06"), ("DOM", "2019-02-10:2019-11-30"),
])
def test_pushed_down_filters_equal_the_pandas_filters(cached, countries, period):
    whole = io.load(cached)
    narrow = io.load(cached, countries, period)
    wanted = countries.split(",") if countries else None
    want = _pandas_filter({n: whole.tables[n] for n in TABLES}, wanted, period)
    for name in TABLES:
        pd.testing.assert_frame_equal(narrow.tables[name], want[name], obj=name)
    assert len(narrow.cases) < len(whole.cases)


def test_tables_are_read_when_first_used(cached):
    data = io.load(cached, "GTM")
    assert data.tables._frames == {}
    assert set(data.cases["reporting_country"]) == {"GTM"}
    assert list(data.tables._frames) == ["cases"]


# --- SQL over the cache ----------------------------------------------------------------------

def test_query_and_count_run_over_the_filtered_tables(cached):
    data = io.load(cached, "GTM,MEX", "2021:2022")
    assert data.tables._frames == {}
    counted = data.count("migrants", ["reporting_country", "sex"])
    assert data.tables._frames == {}  # counted without loading the table
    want = (data.migrants.groupby(["reporting_country", "sex"]).size()
            .rename("rows").reset_index())
    pd.testing.assert_frame_equal(counted, want, check_dtype=False)
    assert data.count("cases")["rows"].iloc[0] == len(data.cases)
    fees = data.query("SELECT reporting_country, sum(fee_amount) AS fees, "
                      "count(DISTINCT case_id) AS n FROM cases GROUP BY 1 ORDER BY 1")
    by_pandas = data.cases.groupby("reporting_country").agg(
        fees=("fee_amount", "sum"), n=("case_id", "nunique")).reset_index()
    assert list(fees["reporting_country"]) == ["GTM", "MEX"]
    assert fees["fees"].tolist() == pytest.approx(by_pandas["fees"].tolist())
    assert fees["n"].tolist() == by_pandas["n"].tolist()
    joined = data.query("SELECT count(*) AS n FROM route_legs l JOIN cases c "
                        "USING (reporting_country, case_id)")
    assert joined["n"].iloc[0] == len(data.route_legs.dropna(subset=["case_id"]))
    with pytest.raises(KeyError):
        data.count("nothing")


def test_query_works_on_a_dataset_held_in_memory(cached):
    data = io.load(cached, "HND")
    memory = io.Dataset({name: data.tables[name] for name in TABLES}, data.meta)
    a = memory.count("route_legs", ["mode"])
    b = data.count("route_legs", ["mode"])
    pd.testing.assert_frame_equal(a, b)


def test_empty_tables_load_with_their_columns(cached):
    data = io.load(cached)
    assert data.flows.empty
    assert list(data.flows.columns) == [f.name for f in TABLES["flows"].fields if not f.drop]
    assert str(data.flows["count"].dtype) == "Int64"
    assert data.count("flows")["rows"].iloc[0] == 0


def test_a_folder_that_cannot_be_used_leaves_no_cache(tmp_path, monkeypatch):
    write_folder(tmp_path / "data", small_tables("GTM"), "GTM")
    write_folder(tmp_path / "data", small_tables("HND"), "HND")
    (tmp_path / "data" / "HND" / "cases.csv").unlink()  # found after GTM was written
    monkeypatch.setattr(validation, "STREAM_BYTES", 0)
    with pytest.raises(io.InputError):
        io.ingest(tmp_path / "data")
    cache = paths.cache_dir(tmp_path / "data")
    assert not cache.exists()
    assert not list(cache.parent.glob(f"{cache.name}.*.tmp")) if cache.parent.exists() else True


def test_a_countrys_partitions_change_only_with_its_data(tmp_path):
    """Rows are numbered within their country, so one country's edit leaves every other
    country's partition files (and their digests, the rebuild keys) as they were."""
    root = tmp_path / "data"
    write_folder(root, small_tables("GTM"), "GTM")
    write_folder(root, small_tables("HND"), "HND")
    before = io.load(root).cache.digests()
    cases = small_tables("HND")["cases"]
    write_folder(root, {"cases": pd.concat([cases, cases.iloc[:1].assign(case_id="C9")])},
                 "HND")
    after = io.load(root).cache.digests()
    assert {n: d.get("GTM") for n, d in after.items()} == {
        n: d.get("GTM") for n, d in before.items()}
    assert after["cases"]["HND"] != before["cases"]["HND"]
    assert after["migrants"]["HND"] == before["migrants"]["HND"]
    assert len(io.load(root, "HND").cases) == 4
