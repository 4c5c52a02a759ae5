"""Network files as analysts have them: formats, direction, merged ties, two-mode data,
private labels, the command line (network-summary, network-export) and round trips."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import privacy
from analysis.data.adapters.network_files import (
    NetworkFileError,
    read_network_file,
    write_network,
)
from analysis.diagnostic.network import build, measures
from analysis.report import network_report
from analysis.report.cli import main

KEY = b"a test key"


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def read(path, **options) -> nx.Graph:
    return build.read_network(path, public_labels=True, **options)


def ties(graph: nx.Graph) -> list[tuple]:
    """Ties with weights, each undirected tie written once in sorted order."""
    out = []
    for u, v, w in graph.edges(data="weight"):
        if not graph.is_directed():
            u, v = sorted((u, v))
        out.append((u, v, float(w)))
    return sorted(out)


# edge lists ---------------------------------------------------------------------------------
def test_edge_list_csv_with_weights_and_any_case_header(tmp_path):
    path = write(tmp_path, "edges.csv", "Source,TARGET,Weight\na,b,2\nb,c,\na,b,3\n")
    graph = read(path, direction="directed")
    assert graph.is_directed() and graph.graph["format"] == "edge_list_csv"
    assert graph["a"]["b"]["weight"] == 5 and graph["b"]["c"]["weight"] == 1
    assert list(graph) == ["a", "b", "c"]
    assert graph.graph["reading"]["duplicates_merged"] == 1


def test_edge_list_is_undirected_unless_told(tmp_path):
    path = write(tmp_path, "edges.csv", "source,target\na,b\nb,a\nb,c\nc,d\n")
    graph = read(path)
    assert not graph.is_directed() and graph.graph["reading"]["direction"] == "edge_list"
    # a → b and b → a are one relationship: 3 ties among 4 actors, density 3 / 6
    assert graph.number_of_edges() == 3 and graph["a"]["b"]["weight"] == 2
    assert graph.graph["reading"]["reciprocal_merged"] == 1
    assert measures.describe(graph)["density"] == pytest.approx(3 / 6)
    directed = read(path, direction="directed")
    assert directed.number_of_edges() == 4
    assert measures.describe(directed)["density"] == pytest.approx(4 / 12)


def test_direction_column_makes_a_directed_network(tmp_path):
    path = write(tmp_path, "edges.csv", "source,target,direction\na,b,directed\nb,c,undirected\n"
                                        "c,d,\n")
    graph = read(path)
    assert graph.is_directed() and graph.graph["reading"]["direction"] == "declared"
    assert sorted(graph.edges()) == [("a", "b"), ("b", "c"), ("c", "b"), ("c", "d")]
    bad = write(tmp_path, "bad.csv", "source,target,direction\na,b,sideways\n")
    with pytest.raises(NetworkFileError, match="row 2: unknown direction 'sideways'"):
        read(bad)


def test_self_ties_are_counted_and_left_out(tmp_path):
    path = write(tmp_path, "edges.csv", "source,target\na,a\na,b\nb,b\n")
    graph = read(path)
    assert list(graph) == ["a", "b"] and graph.number_of_edges() == 1
    assert graph.graph["reading"]["self_loops_dropped"] == 2


def test_tsv_with_attribute_columns_and_headerless_csv(tmp_path):
    path = write(tmp_path, "edges.tsv", "from\tto\tcalls\trole\nx\ty\t3\tpilot\ny\tz\t1\tguide\n")
    graph = read(path)
    assert graph.graph["format"] == "edge_list_tsv" and ties(graph) == [
        ("x", "y", 3.0), ("y", "z", 1.0)]
    assert graph.nodes["x"]["role"] == "pilot" and graph.nodes["y"]["role"] == "guide"
    plain = read(write(tmp_path, "plain.csv", "1,2,4\n2,3,1\n3,1,2\n"))
    assert ties(plain) == [("1", "2", 4.0), ("1", "3", 2.0), ("2", "3", 1.0)]
    pairs = read(write(tmp_path, "pairs.csv", "a,b\nb,c\n"))
    assert ties(pairs) == [("a", "b", 1.0), ("b", "c", 1.0)]


def test_whitespace_pairs_with_comments_and_optional_weight(tmp_path):
    content = "# wiretap ties\nx y\n\ny\tz 4\n  # indented comment\nz x\n"
    graph = read(write(tmp_path, "pairs.txt", content), direction="directed")
    assert graph.graph["format"] == "edge_list_pairs"
    assert ties(graph) == [("x", "y", 1.0), ("y", "z", 4.0), ("z", "x", 1.0)]


# matrices -----------------------------------------------------------------------------------
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("corner", ['""', '"players"', "", "actors"])
def test_asymmetric_matrix_is_directed(tmp_path, bom, corner):
    text = f'{corner},"A",B,C\n"A",0,2,0\nB,1.5,0,0\nC,0,3,7\n'
    graph = read(write(tmp_path, "m.csv", bom + text.encode()))
    assert graph.graph["format"] == "matrix" and list(graph) == ["A", "B", "C"]
    assert graph.is_directed() and graph.graph["reading"]["direction"] == "asymmetric_matrix"
    # the diagonal (C,C) is a self-tie: counted and left out
    assert ties(graph) == [("A", "B", 2), ("B", "A", 1.5), ("C", "B", 3)]
    assert graph.graph["reading"]["self_loops_dropped"] == 1


def test_symmetric_matrix_reports_each_tie_once(tmp_path):
    text = ",A,B,C,D\nA,0,2,1,0\nB,2,0,0,0\nC,1,0,0,1\nD,0,0,1,0\n"
    graph = read(write(tmp_path, "m.csv", text))
    assert not graph.is_directed() and graph.graph["reading"]["direction"] == "symmetric_matrix"
    assert ties(graph) == [("A", "B", 2.0), ("A", "C", 1.0), ("C", "D", 1.0)]
    assert graph.graph["reading"]["reciprocal_merged"] == 0
    summary = measures.describe(graph)
    assert summary["edges"] == 3 and summary["density"] == pytest.approx(3 / 6)
    assert read(write(tmp_path, "m.csv", text), direction="directed").number_of_edges() == 6


def test_matrix_without_corner_cell_with_semicolons_rows_in_another_order(tmp_path):
    assert list(read(write(tmp_path, "m.csv", "A;B\nA;0;1\nB;0;0\n")).edges()) == [("A", "B")]
    graph = read(write(tmp_path, "m.csv", ",A,B,C\nC,0,1,0\nA,0,0,1\nB,0,0,0\n"))
    assert sorted(graph.edges()) == [("A", "C"), ("C", "B")]


BAD_FILES = [
    ("empty.csv", "", "the file is empty"),
    ("comments.txt", "# nothing here\n\n", "the file is empty"),
    ("not_square.csv", ",A,B\nA,0,1\nB,1,0\nC,0,0\n",
     "matrix is not square: 3 rows, 2 columns (an edge list CSV needs the header source,target)"),
    ("wide.csv", ",A,B,C,D\nA,0,1,0,0\nB,1,0,0,0\nC,0,0,0,0\n", "matrix is not square: 3 rows, 4"),
    ("ragged.csv", ",A,B,C\nA,0,1,0\nB,1,0\nC,0,0,0\n", "row 3 has 3 cells; the header has 4"),
    ("cell.csv", ",A,B,C\nA,0,x,0\nB,1,0,0\nC,0,0,0\n", "row 2, column 'B': 'x' is not a number"),
    ("labels.csv", ",A,B,C\nA,0,1,0\nB,1,0,0\nD,0,0,0\n",
     "row labels do not match column labels (only in rows: D; only in columns: C)"),
    ("twice.csv", ",A,B,A\nA,0,1,0\nB,1,0,0\nA,0,0,0\n", "duplicate labels in the matrix: A"),
    ("one_column.csv", "source,target\na,b\nc\n",
     "row 3 has 1 column; an edge needs a source and a target"),
    ("no_target.csv", "source,weight\na,1\n", "the header must name the columns source and target"),
    ("weight.csv", "source,target,weight\na,b,heavy\n", "row 2: weight 'heavy' is not a number"),
    ("blank_id.csv", "source,target\na,\n", "row 2 has an empty source or target"),
    ("pairs.txt", "a b\nc\n", "row 2 has 1 column; an edge needs a source and a target"),
    ("pairs5.txt", "a b 1 2 3\n", "row 1 has 5 columns"),
    ("binary.bin", b"\x00\x01\x02", "not a text file"),
    ("both.csv", "person,event\na,b\nb,c\n", "cannot be both a person and an event: b"),
    ("short.dl", "dl n=2\nformat=fullmatrix\ndata:\n0 1\n1\n", "the matrix has 3 cells; 4"),
    ("broken.graphml", "<graphml><graph>", "a GRAPHML file that cannot be read"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_bad_files_say_which_file_and_what_is_wrong(tmp_path, name, content, message):
    path = write(tmp_path, name, content)
    with pytest.raises(NetworkFileError) as caught:
        read(path)
    assert message in str(caught.value) and str(path) in str(caught.value)
    assert caught.value.message("es") != caught.value.message("en")


def test_missing_file_and_cli_reports_without_traceback(tmp_path, capsys):
    with pytest.raises(NetworkFileError, match="file not found"):
        read(tmp_path / "absent.csv")
    bad = write(tmp_path, "bad.csv", ",A,B\nA,0,1\n")
    assert main(["network-summary", str(bad), "--public-labels"]) == 1
    err = capsys.readouterr().err
    assert "matrix is not square: 1 rows, 2 columns" in err and "Traceback" not in err


# two-mode data --------------------------------------------------------------------------------
# Three people and three meetings: Ana and Beto meet at M1 and M2, Caro at M2 and M3.
# By hand: Ana–Beto share 2 meetings (M1, M2), Ana–Caro 1 (M2), Beto–Caro 1 (M2); density 3/3.
HAND = [("Ana", "Beto", 2.0), ("Ana", "Caro", 1.0), ("Beto", "Caro", 1.0)]
TWO_MODE_FILES = {
    "people.csv": ",M1,M2,M3\nAna,1,1,0\nBeto,1,1,0\nCaro,0,1,1\n",
    "attendance.csv": "person,event\nAna,M1\nAna,M2\nBeto,M1\nBeto,M2\nCaro,M2\nCaro,M3\n"
                      "Ana,M1\n",
    "people.dl": "dl nr=3 nc=3 format=fullmatrix\nrow labels:\nAna Beto Caro\n"
                 "column labels:\nM1 M2 M3\ndata:\n1 1 0\n1 1 0\n0 1 1\n",
    "people.net": "*Vertices 6 3\n1 \"Ana\"\n2 \"Beto\"\n3 \"Caro\"\n4 \"M1\"\n5 \"M2\"\n"
                  "6 \"M3\"\n*Edges\n1 4\n1 5\n2 4\n2 5\n3 5\n3 6\n",
}


@pytest.mark.parametrize("name", TWO_MODE_FILES)
def test_two_mode_data_project_onto_people_as_computed_by_hand(tmp_path, name):
    graph = read(write(tmp_path, name, TWO_MODE_FILES[name]))
    reading = graph.graph["reading"]
    assert reading["two_mode"] and reading["people"] == 3 and reading["events"] == 3
    assert not graph.is_directed() and reading["direction"] == "two_mode"
    assert sorted(graph) == ["Ana", "Beto", "Caro"] and ties(graph) == HAND
    assert measures.describe(graph)["density"] == pytest.approx(1.0)


def test_mode_two_forces_a_square_matrix_and_an_edge_list(tmp_path):
    square = write(tmp_path, "square.csv", ",M1,M2\nAna,1,1\nBeto,0,1\n")
    assert read(square, mode=2).graph["reading"]["two_mode"]
    assert ties(read(square, mode=2)) == [("Ana", "Beto", 1.0)]
    pairs = write(tmp_path, "pairs.csv", "source,target\nAna,M1\nBeto,M1\nBeto,M2\nCaro,M2\n")
    assert ties(read(pairs, mode=2)) == [("Ana", "Beto", 1.0), ("Beto", "Caro", 1.0)]
    assert main(["network-summary", str(pairs), "--mode", "2", "--json",
                 "--public-labels"]) == 0


def test_contract_cases_give_the_same_projection():
    actors = pd.DataFrame({"actor_id": ["Ana", "Beto", "Caro"],
                           "case_ids": ["M1;M2", "M1; M2", "M2;M3"]})
    graph = build.shared_cases(actors)
    assert ties(graph) == HAND and graph.graph["reading"]["events"] == 3


# formats ------------------------------------------------------------------------------------
ONE_MODE_FILES = {
    "edges.csv": "source,target,weight\na,b,2\nb,c,1\nc,a,3\n",
    "edges.tsv": "source\ttarget\tweight\na\tb\t2\nb\tc\t1\nc\ta\t3\n",
    "pairs.txt": "a b 2\nb c 1\nc a 3\n",
    "matrix.csv": ",a,b,c\na,0,2,0\nb,0,0,1\nc,3,0,0\n",
    "full.dl": "DL N=3\nFORMAT = FULLMATRIX\nLABELS:\na,b,c\nDATA:\n0 2 0\n0 0 1\n3 0 0\n",
    "embedded.dl": "dl n=3 format=fullmatrix\nlabels embedded\ndata:\n a b c\na 0 2 0\n"
                   "b 0 0 1\nc 3 0 0\n",
    "edges.dl": "dl n=3 format=edgelist1\nlabels:\na b c\ndata:\n1 2 2\n2 3 1\n3 1 3\n",
    "nodes.dl": "dl n=3 format=nodelist1\nlabels embedded\ndata:\na b\nb c\nc a\n",
    "arcs.net": "*Vertices 3\n1 \"a\"\n2 \"b\"\n3 \"c\"\n*Arcs\n1 2 2\n2 3 1\n3 1 3\n",
}


@pytest.mark.parametrize("name", ONE_MODE_FILES)
def test_every_format_reads_the_same_directed_triangle(tmp_path, name):
    graph = read(write(tmp_path, name, ONE_MODE_FILES[name]), direction="directed")
    expected = [("a", "b", 2.0), ("b", "c", 1.0), ("c", "a", 3.0)]
    if name == "nodes.dl":  # a node list has no weights
        expected = [(u, v, 1.0) for u, v, _ in expected]
    assert sorted(graph) == ["a", "b", "c"] and ties(graph) == expected


def test_pajek_edges_are_undirected_and_arcs_directed(tmp_path):
    edges = read(write(tmp_path, "e.net", "*Vertices 3\n1 a\n2 b\n3 c\n*Edges\n1 2\n2 3\n"))
    assert not edges.is_directed() and edges.graph["reading"]["direction"] == "declared"
    arcs = read(write(tmp_path, "a.net", ONE_MODE_FILES["arcs.net"]))
    assert arcs.is_directed() and arcs.graph["reading"]["direction"] == "declared"


def gephi_graph(directed: bool) -> nx.Graph:
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_node("a", role="guide", base_country="GTM")
    graph.add_node("b", role="organizer", base_country="MEX")
    graph.add_node("c")
    graph.add_edge("a", "b", weight=2.0)
    graph.add_edge("b", "c", weight=1.0)
    graph.add_edge("c", "a", weight=3.5)
    return graph


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
@pytest.mark.parametrize("directed", [True, False])
def test_written_files_read_back_as_the_same_graph(tmp_path, suffix, directed):
    graph = gephi_graph(directed)
    path = write_network(graph, tmp_path / f"net{suffix}")
    again = read(path)
    assert again.is_directed() == directed and again.graph["reading"]["direction"] == "declared"
    assert list(again) == list(graph) and ties(again) == ties(graph)
    assert again.nodes["a"]["role"] == "guide" and again.nodes["b"]["base_country"] == "MEX"


@pytest.mark.parametrize("name", [*ONE_MODE_FILES, "people.csv"])
@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
def test_round_trip_from_every_format(tmp_path, name, suffix):
    content = ONE_MODE_FILES.get(name) or TWO_MODE_FILES[name]
    first = read(write(tmp_path, name, content))
    out = tmp_path / f"out{suffix}"
    assert main(["network-export", str(tmp_path / name), str(out), "--public-labels"]) == 0
    second = read(out)
    assert second.is_directed() == first.is_directed()
    assert sorted(second) == sorted(first) and ties(second) == ties(first)


def test_export_carries_what_the_reports_show_and_parses_with_networkx(tmp_path, capsys):
    path = write(tmp_path, "edges.csv", "source,target,role\nx,y,pilot\ny,z,guide\nz,x,\n"
                                        "x,w,pilot\n")
    out = tmp_path / "gephi" / "net.gexf"
    assert main(["network-export", str(path), str(out), "--public-labels", "--lang", "es"]) == 0
    assert "Escrito:" in capsys.readouterr().out
    gexf = nx.read_gexf(out)  # what Gephi reads
    assert sorted(gexf) == ["w", "x", "y", "z"]
    x = gexf.nodes["x"]
    assert x["label"] == "x" and x["role"] == "pilot" and x["community"] >= 1
    assert x["degree"] == 3 and 0 < x["betweenness"] <= 1
    assert {"closeness", "eigenvector", "core"} <= set(x)
    graphml = nx.read_graphml(write_network(nx.read_gexf(out), tmp_path / "net.graphml"))
    assert graphml.nodes["x"]["degree"] == 3
    with pytest.raises(NetworkFileError, match="can only export to .gexf, .graphml"):
        write_network(gexf, tmp_path / "net.xlsx")


def test_exported_contract_network_has_roles_countries_and_measures(tmp_path):
    actors = pd.DataFrame({"actor_id": ["A-1", "A-2", "A-3"], "role": ["guide", "organizer",
                                                                       "transporter"],
                           "base_country": ["GTM", "MEX", "MEX"]})
    links = pd.DataFrame({"source": ["A-1", "A-2"], "target": ["A-2", "A-3"],
                          "relation": ["money", "money"], "weight": [1.0, 2.0]})
    graph = build.from_tables(actors, links)
    table = measures.centrality(graph)
    written = network_report.write_exports(graph, table, pd.Series({"A-1": 0, "A-2": 0,
                                                                    "A-3": 1}),
                                           tmp_path, "net", "en", external=False)
    assert [p.name for p in written] == ["net.gexf", "net.graphml"]
    node = nx.read_gexf(written[0]).nodes["A-2"]
    assert node["label"] == "Organizer A-2" and node["country"] == "MEX"
    assert node["community"] == 1 and node["degree"] == 2
    assert nx.read_graphml(written[1]).nodes["A-3"]["community"] == 2


# private labels -------------------------------------------------------------------------------
def test_labels_are_pseudonymized_unless_public(tmp_path, monkeypatch):
    path = write(tmp_path, "named.graphml", _graphml_with_names())
    private = build.read_network(path, key=KEY)
    # a node's label is the name it goes by; a node without a label goes by its id
    assert list(private) == [privacy.pseudonym("Juan Pérez", KEY, "A"),
                             privacy.pseudonym("n1", KEY, "A")]
    assert all("name" not in data and "label" not in data for _, data in
               private.nodes(data=True))
    assert private.graph["reading"]["public_labels"] is False
    public = build.read_network(path, public_labels=True)
    assert "Juan Pérez" in public and public.nodes["Juan Pérez"]["name"] == "Juan Pérez"


def test_the_command_line_pseudonymizes_with_the_project_key(tmp_path, monkeypatch, capsys):
    path = write(tmp_path, "edges.csv", "source,target\nJuan Pérez,María López\n")
    assert main(["network-summary", str(path)]) == 1  # no key on this machine: refused
    assert "key" in capsys.readouterr().err.lower()
    monkeypatch.setenv(privacy.KEY_ENV, "secret key")
    assert main(["network-summary", str(path), "--json"]) == 0
    printed = capsys.readouterr().out
    assert "Juan" not in printed and "María" not in printed
    assert privacy.pseudonym("Juan Pérez", b"secret key", "A") in printed
    assert json.loads(printed)["public_labels"] is False
    assert main(["network-summary", str(path), "--public-labels"]) == 0
    assert "Juan Pérez" in capsys.readouterr().out


def _graphml_with_names() -> str:
    graph = nx.Graph()
    graph.add_node("n0", label="Juan Pérez", name="Juan Pérez")
    graph.add_node("n1", name="María López")
    graph.add_edge("n0", "n1")
    return "\n".join(nx.generate_graphml(graph))


def test_summary_json_has_every_documented_field(tmp_path):
    path = write(tmp_path, "edges.csv", "source,target\na,b\nb,a\na,a\nb,c\nb,c\n")
    summary = json.loads(network_report.network_summary(path, as_json=True, public_labels=True))
    for key in ("nodes", "edges", "directed", "two_mode", "density", "centralization",
                "components", "largest_component", "top_degree", "top_betweenness",
                "duplicates_merged", "reciprocal_merged", "self_loops_dropped"):
        assert key in summary, key
    assert (summary["duplicates_merged"], summary["reciprocal_merged"],
            summary["self_loops_dropped"]) == (1, 1, 1)
    assert summary["nodes"] == 3 and summary["edges"] == 2 and not summary["directed"]
    assert summary["density"] == pytest.approx(2 / 3)
    text = network_report.network_summary(path, public_labels=True)
    assert text.splitlines()[0].startswith("Reading: undirected network (an edge list")


def test_reader_record_keeps_what_the_file_says(tmp_path):
    record = read_network_file(write(tmp_path, "m.csv", ",a,b\na,0,1\nb,1,0\n"),
                               public_labels=True)
    assert record.symmetric is True and record.format == "matrix" and not record.two_mode
    assert [(t.source, t.target) for t in record.ties] == [("a", "b"), ("b", "a")]


def test_pajek_matrix_and_mixed_sections(tmp_path):
    matrix = read(write(tmp_path, "m.net", "*Vertices 3\n1 a\n2 b\n3 c\n*Matrix\n0 1 0\n1 0 2\n"
                                           "0 2 0\n"))
    assert not matrix.is_directed() and ties(matrix) == [("a", "b", 1.0), ("b", "c", 2.0)]
    mixed = read(write(tmp_path, "x.net", "*Vertices 3\n1 a\n2 b\n3 c\n*Arcs\n1 2\n*Edges\n2 3\n"))
    assert mixed.is_directed() and sorted(mixed.edges()) == [("a", "b"), ("b", "c"), ("c", "b")]


def test_graph_files_whose_labels_repeat_keep_their_ids(tmp_path):
    graph = nx.Graph()
    graph.add_node("n0", label="Guide")
    graph.add_node("n1", label="Guide")
    graph.add_edge("n0", "n1")
    path = write(tmp_path, "g.graphml", "\n".join(nx.generate_graphml(graph)))
    assert sorted(read(path)) == ["n0", "n1"]


labels_strategy = st.sampled_from(["a", "b", "c", "d", "e", "Ñandú", "x y"])
ties_strategy = st.lists(st.tuples(labels_strategy, labels_strategy, st.integers(1, 9)),
                         min_size=1, max_size=25)


@given(listed=ties_strategy, directed=st.booleans())
@settings(max_examples=40, deadline=None)
def test_any_edge_list_merges_ties_and_survives_a_round_trip(tmp_path_factory, listed, directed):
    folder = tmp_path_factory.mktemp("edges")
    lines = "".join(f'"{u}","{v}",{w}\n' for u, v, w in listed)
    path = write(folder, "edges.csv", "source,target,weight\n" + lines)
    graph = read(path, direction="directed" if directed else "undirected")
    expected: dict[tuple, float] = {}
    for u, v, w in listed:
        if u != v:
            key = (u, v) if directed else tuple(sorted((u, v)))
            expected[key] = expected.get(key, 0) + w
    assert ties(graph) == sorted((u, v, float(w)) for (u, v), w in expected.items())
    reading = graph.graph["reading"]
    assert reading["self_loops_dropped"] == sum(u == v for u, v, _ in listed)
    assert (reading["ties_listed"] - reading["self_loops_dropped"] - reading["duplicates_merged"]
            - reading["reciprocal_merged"]) == len(expected)
    for suffix in (".gexf", ".graphml"):
        again = read(write_network(graph, folder / f"out{suffix}"))
        assert again.is_directed() == directed and ties(again) == ties(graph)
        assert sorted(again) == sorted(graph)
