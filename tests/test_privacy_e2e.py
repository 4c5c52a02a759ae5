"""Privacy over a whole run: planted names and identifiers never reach any output, the key
never appears, and a group smaller than the threshold is suppressed everywhere."""

from __future__ import annotations

import io as stdio
import shutil
import zipfile
from contextlib import redirect_stdout

import pandas as pd
import pytest

from analysis.core import paths, privacy, reference
from analysis.core.contract import TABLES
from analysis.report.cli import main

pytestmark = pytest.mark.slow

KEY = "ZQX-secret-pseudonym-key-7f3a"
COUNTRIES = ["GTM", "MEX"]
SMALL_GROUP = "TJK"  # two people: fewer than min_cell_size
NAME = "Zacarías Quixtán Xolop"


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def plant(root) -> list[str]:
    """Distinctive names and identifiers in every identifying field; returns them."""
    planted = [NAME, KEY, "ZQXFILE-", "ZQXPASS", "El Zorro ZQX"]
    actor_map: dict[str, str] = {}
    for country in COUNTRIES:
        folder = root / country
        cases, migrants = _read(folder / "cases.csv"), _read(folder / "migrants.csv")
        legs, actors = _read(folder / "route_legs.csv"), _read(folder / "actors.csv")
        case_map = {old: f"ZQXCASE{country}{i:04d}" for i, old in enumerate(cases["case_id"])}
        own = {old: f"ZQXACTOR{country}{i:04d}" for i, old in enumerate(actors["actor_id"])}
        actor_map |= own
        cases["case_id"] = cases["case_id"].replace(case_map)
        cases["file_number"] = [f"ZQXFILE-{country}-{i}" for i in range(len(cases))]
        migrants["case_id"] = migrants["case_id"].replace(case_map)
        legs["case_id"] = legs["case_id"].replace(case_map)
        migrants["person_id"] = [f"ZQXPERSON{country}{i:05d}" for i in range(len(migrants))]
        migrants["full_name"] = [f"{NAME} {i}" for i in range(len(migrants))]
        migrants["document_number"] = [f"ZQXPASS{i:06d}" for i in range(len(migrants))]
        actors["actor_id"] = actors["actor_id"].replace(own)
        actors["alias"] = [f"El Zorro ZQX{i}" for i in range(len(actors))]
        actors["full_name"] = [f"{NAME} Actor {i}" for i in range(len(actors))]
        actors["case_ids"] = [";".join(case_map.get(c, c) for c in v.split(";") if c)
                              for v in actors["case_ids"]]
        if country == COUNTRIES[0]:
            migrants.loc[migrants.index[:2], "nationality"] = SMALL_GROUP
        for name, frame in (("cases", cases), ("migrants", migrants), ("route_legs", legs),
                            ("actors", actors)):
            frame.to_csv(folder / f"{name}.csv", index=False)
        planted += list(case_map.values())[:50] + list(own.values())[:50]
        planted += list(migrants["person_id"][:50])
    for path in root.glob("*/links.csv"):  # ties may point to actors of other countries
        links = _read(path)
        for column in ("source", "target"):
            links[column] = links[column].replace(actor_map)
        links.to_csv(path, index=False)
    meta = (root / "dataset.yml").read_text(encoding="utf-8").replace("synthetic: true",
                                                                      "synthetic: false")
    (root / "dataset.yml").write_text(meta, encoding="utf-8")
    return planted


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted") / "data"
    shutil.copytree(paths.DEMO, root)
    planted = plant(root)
    out = tmp_path_factory.mktemp("planted_report")
    log = stdio.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(paths.STATE_ENV, str(tmp_path_factory.mktemp("state")))
        patch.setenv(privacy.KEY_ENV, KEY)
        with redirect_stdout(log):
            code = main(["run", "--data", str(root), "--out", str(out), "--lang", "en",
                         "--countries", ",".join(COUNTRIES), "--name", "planted"])
    (out / "run.log").write_text(log.getvalue(), encoding="utf-8")
    return out, planted, code


def pdf_text(path) -> str:
    """The text a reader of the PDF sees (its streams are compressed)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return text


def output_texts(out):
    """Every output file as searchable text (Excel unzipped; PDF text extracted; images as
    raw bytes)."""
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                data = b"".join(book.read(n) for n in book.namelist())
        text = data.decode("utf-8", errors="replace")
        if path.suffix == ".pdf":
            text += pdf_text(path)
        yield path, text


def test_the_planted_run_builds(planted_run):
    out, _, code = planted_run
    assert code == 0, (out / "run.log").read_text()


def test_no_planted_value_reaches_any_output(planted_run):
    out, planted, _ = planted_run
    kinds = {p.suffix for p, _ in output_texts(out)}
    assert {".html", ".ipynb", ".svg", ".csv", ".json", ".xlsx", ".log"} <= kinds
    leaks = [(path.name, value) for path, text in output_texts(out) for value in planted
             if value in text]
    assert leaks == []


def test_svg_text_is_scanned_as_text(planted_run):
    out, _, _ = planted_run
    svg = next((out / "figures").glob("*.svg")).read_text(encoding="utf-8")
    assert "<text" in svg  # labels stay text, so the scan above reads them


def test_small_group_is_suppressed_everywhere(planted_run):
    """Wherever the two-person group is a row, its counts are hidden, and so is another cell
    of each hidden column, so the group cannot be worked out from a total by subtraction."""
    out, _, _ = planted_run
    label = reference.label("country", SMALL_GROUP, "en")
    hidden = "<5"
    for path in sorted((out / "tables").glob("*.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        rows = table.apply(lambda row: label in set(row.values), axis=1)
        for _, row in table[rows].iterrows():
            for column, value in row.items():
                if value in (label, "", "0") or not value.replace(".", "").isdigit() and (
                        value != hidden):
                    continue
                assert value == hidden, f"{path.name}: {label} shows {value} in {column}"
                others = table.loc[~rows, column]
                nonzero = others[~others.isin(["0", "", "0.0"])]
                assert nonzero.empty or (nonzero == hidden).any(), (
                    f"{path.name}: {label} could be worked out from the total of {column}")
    for path, text in output_texts(out):
        if path.suffix == ".html" and f">{label}<" in text:
            assert "&lt;5" in text, path.name


def test_identifying_fields_are_all_covered():
    identifying = {f.name for t in TABLES.values() for f in t.fields if f.pseudonymize or f.drop}
    planted_fields = {"case_id", "file_number", "person_id", "full_name", "document_number",
                      "actor_id", "alias", "case_ids", "source", "target"}
    assert identifying == planted_fields
