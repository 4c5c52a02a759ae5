"""Network files as analysts have them, read into one plain record; GEXF and GraphML written.

Read: CSV/TSV edge lists with or without a header (source, target, weight, direction and any
attribute columns; an `event` column instead of `target` declares person–event data),
whitespace pairs, adjacency matrices (square, or people × events), UCINET DL (full matrix,
edge list and node list formats, two-mode with nr/nc), Pajek `.net` (*Arcs, *Edges, *Matrix,
two-mode vertex counts), GraphML and GEXF (networkx's readers).

The reader keeps what the file says: ties as listed, the direction the file declares, a
matrix's symmetry, a second mode. Choosing the direction, merging repeated ties, leaving out
self-ties and projecting two-mode data is the diagnostic's work
(`analysis.diagnostic.network.build`). Labels are pseudonymized here, at ingestion, with the
project's keyed pseudonyms unless the file is declared public.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import networkx as nx
import numpy as np

from analysis.core import privacy
from analysis.core.i18n import t
from analysis.core.text import decode

SOURCE_NAMES = ("source", "from", "ego", "node1", "actor", "person", "sender", "origen")
TARGET_NAMES = ("target", "to", "alter", "node2", "receiver", "destino")
EVENT_NAMES = ("event", "case", "meeting", "affiliation", "evento", "caso")
WEIGHT_NAMES = ("weight", "value", "peso", "calls")
DIRECTION_NAMES = ("direction", "directed", "type", "direccion")
DIRECTED_VALUES = {"directed", "d", "arc", "yes", "true", "1", "->"}
UNDIRECTED_VALUES = {"undirected", "u", "edge", "no", "false", "0", "--", "<->", "both",
                     "mutual"}
# node attributes that name a person: dropped with the labels when the file is private
NAME_ATTRIBUTES = {"label", "name", "alias", "id", "nombre", "_nx_name"}
ACTOR_PREFIX, EVENT_PREFIX = "A", "E"


class NetworkFileError(ValueError):
    """A network file that cannot be read: which file and what is wrong with it."""

    def __init__(self, path: str | Path, key: str, **values: object) -> None:
        self.path = Path(path)
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return f"{self.path}: {t(f'network.{self.key}', lang, **self.values)}"


@dataclass(frozen=True)
class Tie:
    """One tie as the file lists it (`directed`: a per-row direction, None if not given)."""

    source: str
    target: str
    weight: float = 1.0
    directed: bool | None = None


@dataclass
class NetworkFile:
    """What a network file holds, before any choice of direction or mode."""

    name: str
    format: str
    nodes: dict[str, dict]  # actors (the first mode), in file order, with their attributes
    ties: list[Tie]
    directed: bool | None = None  # as the file declares it; None: the file does not say
    symmetric: bool | None = None  # a matrix equal to its transpose (None: not a matrix)
    events: dict[str, dict] = field(default_factory=dict)  # the second mode of two-mode data
    public_labels: bool = False

    @property
    def two_mode(self) -> bool:
        return bool(self.events)


# ---------------------------------------------------------------------------------------------
# Reading


def read_network_file(path: str | Path, mode: int | None = None, public_labels: bool = False,
                      key: bytes | None = None) -> NetworkFile:
    """Read any supported network file (format by extension, else by content).

    `mode` 2 reads the file as two-mode (sources or rows are people, targets or columns are
    events); None detects it (a non-square matrix, an `event` column, a two-mode DL or Pajek
    file, a `bipartite` node attribute). Unless `public_labels`, every label is replaced by its
    keyed pseudonym (`key`, default the project's key) and name-like attributes are dropped.
    Raises `NetworkFileError`.
    """
    path = Path(path)
    if not path.is_file():
        raise NetworkFileError(path, "error_not_found")
    if mode not in (None, 1, 2):
        raise NetworkFileError(path, "error_mode", mode=mode)
    suffix = path.suffix.lower()
    if suffix in (".graphml", ".gexf"):
        record = _read_xml(path, suffix[1:], mode)
    else:
        decoded = decode(path.read_bytes())
        if decoded is None:
            raise NetworkFileError(path, "error_binary")
        text = decoded[0].lstrip("\ufeff")
        head = text.lstrip().lower()
        if head.startswith("dl"):
            record = _read_dl(path, text, mode)
        elif head.startswith("*vertices") or head.startswith("*network"):
            record = _read_pajek(path, text, mode)
        else:
            record = _read_delimited(path, text, mode)
    if not record.nodes and not record.ties:
        raise NetworkFileError(path, "error_empty")
    if not public_labels:
        record = pseudonymize(record, privacy.load_key(False) if key is None else key)
    record.public_labels = public_labels
    return record


def pseudonymize(record: NetworkFile, key: bytes) -> NetworkFile:
    """The same network with keyed pseudonyms for labels and no name-like attributes."""
    def actor(label: str) -> str:
        return privacy.pseudonym(label, key, ACTOR_PREFIX)

    def event(label: str) -> str:
        return privacy.pseudonym(label, key, EVENT_PREFIX)

    def private(attributes: dict) -> dict:
        return {k: v for k, v in attributes.items() if k.lower() not in NAME_ATTRIBUTES}

    target = event if record.events else actor
    return replace(
        record,
        nodes={actor(label): private(attrs) for label, attrs in record.nodes.items()},
        events={event(label): private(attrs) for label, attrs in record.events.items()},
        ties=[replace(tie, source=actor(tie.source), target=target(tie.target))
              for tie in record.ties],
    )


def _number(path: Path, row: int, value: str, column: str | None = None) -> float:
    try:
        number = float(value.replace(",", ".") if value.count(",") == 1 and "." not in value
                       else value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        if column is None:
            raise NetworkFileError(path, "error_weight", row=row, value=value)
        raise NetworkFileError(path, "error_cell", row=row, column=column, value=value)
    return number


def _is_number(value: str) -> bool:
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False


def _lines(text: str) -> list[tuple[int, str]]:
    """Numbered lines with content (comments starting with '#' or '%' left out)."""
    return [(number, line) for number, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith(("#", "%"))]


def _read_delimited(path: Path, text: str, mode: int | None) -> NetworkFile:
    content = _lines(text)
    if not content:
        raise NetworkFileError(path, "error_empty")
    first = content[0][1]
    counts = {d: first.count(d) for d in ("\t", ";", ",")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        return _edges_from_pairs(path, content, mode)
    rows = [(n, [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))])
            for n, line in content]
    header = [cell.lower() for cell in rows[0][1]]
    fmt = "edge_list_tsv" if delimiter == "\t" else "edge_list_csv"
    names = set(header)
    if names & set(SOURCE_NAMES) and names & set(TARGET_NAMES + EVENT_NAMES):
        return _edges_from_table(path, rows, header, fmt, mode)
    if {"source", "target"} & names:
        raise NetworkFileError(path, "error_header", header=",".join(rows[0][1]))
    if _looks_like_matrix(rows):
        return _read_matrix(path, rows, mode)
    width = max(len(cells) for _, cells in rows)
    if width > 3:
        raise NetworkFileError(path, "error_header", header=",".join(rows[0][1]))
    columns = ["source", "target", "weight"][:width]
    return _edges_from_table(path, [(0, columns)] + rows, columns, fmt, mode)


def _looks_like_matrix(rows: list) -> bool:
    """A labelled matrix: numeric cells after the first column, and a header of labels (an
    empty or non-numeric corner, the row labels again, or one cell fewer than the rows)."""
    (_, header), data = rows[0], rows[1:]
    if not data:
        return False
    corner = header[0]
    row_labels = {cells[0] for _, cells in data}
    if corner == "" or {len(cells) for _, cells in data} == {len(header) + 1}:
        return True
    numeric = all(_is_number(c) or c == "" for _, cells in data for c in cells[1:])
    repeated = len(data) >= 2 and set(header[1:]) == row_labels  # the row labels again
    return numeric and (repeated or not _is_number(corner))


def _direction(path: Path, row: int, value: str) -> bool | None:
    folded = value.strip().lower()
    if folded == "":
        return None
    if folded in DIRECTED_VALUES:
        return True
    if folded in UNDIRECTED_VALUES:
        return False
    raise NetworkFileError(path, "error_direction", row=row, value=value)


def _edges_from_table(path: Path, rows: list, header: list[str], fmt: str,
                      mode: int | None) -> NetworkFile:
    def find(names: tuple[str, ...]) -> int | None:
        return next((header.index(n) for n in names if n in header), None)

    source = find(SOURCE_NAMES)
    event = find(EVENT_NAMES)
    target = find(TARGET_NAMES)
    two_mode = mode == 2 or (event is not None and target is None and mode != 1)
    if target is None:
        target = event
    weight, direction = find(WEIGHT_NAMES), find(DIRECTION_NAMES)
    used = {source, target, weight, direction}
    attributes = [(i, rows[0][1][i]) for i in range(len(header)) if i not in used]
    nodes: dict[str, dict] = {}
    ties = []
    for number, cells in rows[1:]:
        if len(cells) <= max(source, target):
            if len(cells) == 1:
                raise NetworkFileError(path, "error_one_column", row=number)
            raise NetworkFileError(path, "error_columns", row=number, n=len(cells))
        if not cells[source] or not cells[target]:
            raise NetworkFileError(path, "error_missing_id", row=number)
        value = cells[weight] if weight is not None and weight < len(cells) else ""
        way = _direction(path, number, cells[direction]) if direction is not None \
            and direction < len(cells) else None
        ties.append(Tie(cells[source], cells[target],
                        1.0 if value == "" else _number(path, number, value), way))
        attrs = nodes.setdefault(cells[source], {})
        for i, name in attributes:  # attribute columns describe the source
            if i < len(cells) and cells[i] != "" and name not in attrs:
                attrs[name] = cells[i]
    declared = True if direction is not None else None
    return _assemble(path, fmt, nodes, ties, declared, two_mode)


def _edges_from_pairs(path: Path, content: list, mode: int | None) -> NetworkFile:
    ties = []
    for position, (number, line) in enumerate(content):
        cells = line.split()
        if position == 0 and [c.lower() for c in cells[:2]] == ["source", "target"]:
            continue
        if len(cells) < 2:
            raise NetworkFileError(path, "error_one_column" if len(cells) == 1 else
                                   "error_columns", row=number, n=len(cells))
        if len(cells) > 3:
            raise NetworkFileError(path, "error_too_many", row=number, n=len(cells))
        weight = _number(path, number, cells[2]) if len(cells) == 3 else 1.0
        ties.append(Tie(cells[0], cells[1], weight))
    return _assemble(path, "edge_list_pairs", {}, ties, None, mode == 2)


def _assemble(path: Path, fmt: str, nodes: dict, ties: list[Tie], directed: bool | None,
              two_mode: bool, events: dict | None = None) -> NetworkFile:
    """Nodes in order of first appearance; with two modes, targets are the events."""
    nodes = dict(nodes)
    events = dict(events or {})
    for tie in ties:
        nodes.setdefault(tie.source, {})
        (events if two_mode else nodes).setdefault(tie.target, {})
    if two_mode:
        both = sorted(set(nodes) & set(events))
        if both:
            raise NetworkFileError(path, "error_two_mode_overlap", labels=", ".join(both[:5]))
    if not ties and not nodes:
        raise NetworkFileError(path, "error_empty")
    return NetworkFile(path.name, fmt, nodes, ties, directed, None, events)


def _check_labels(path: Path, row: int, labels: list[str]) -> None:
    for label in labels:
        if not label:
            raise NetworkFileError(path, "error_empty_label", row=row)
    repeated = sorted(label for label, count in Counter(labels).items() if count > 1)
    if repeated:
        raise NetworkFileError(path, "error_duplicate_labels", labels=", ".join(repeated[:5]))


def _read_matrix(path: Path, rows: list, mode: int | None) -> NetworkFile:
    (header_row, header), data = rows[0], rows[1:]
    width = len(header)
    if {len(cells) for _, cells in data} == {width + 1}:
        columns = header  # no corner cell: the header holds only the column labels
    else:
        columns = header[1:]
        for number, cells in data:
            if len(cells) != width:
                raise NetworkFileError(path, "error_row_width", row=number, n=len(cells),
                                       expected=width)
    row_labels = [cells[0] for _, cells in data]
    _check_labels(path, header_row, columns)
    for number, label in ((n, c[0]) for n, c in data):
        _check_labels(path, number, [label])
    _check_labels(path, header_row, row_labels)
    values = [_matrix_row(path, number, columns, cells[1:]) for number, cells in data]
    return matrix_record(path, "matrix", row_labels, columns, values, mode)


def _matrix_row(path: Path, number: int, columns: list[str], cells: list[str]) -> list[float]:
    """One matrix row as numbers (blank = 0); a cell that is not a number says where it is."""
    try:
        row = [float(cell) if cell else 0.0 for cell in cells]
        if all(map(math.isfinite, row)):
            return row
    except ValueError:
        pass
    return [0.0 if cell == "" else _number(path, number, cell, column)
            for column, cell in zip(columns, cells, strict=True)]


def matrix_record(path: Path, fmt: str, rows: list[str], columns: list[str],
                  values: list[list[float]], mode: int | None) -> NetworkFile:
    """A labelled matrix as a network: one-mode when rows and columns are the same labels,
    two-mode (rows are people, columns events) when rows and columns share no label (a
    non-square matrix, or a square one of people × events), or when `mode` is 2."""
    shared = set(rows) & set(columns)
    two_mode = mode == 2 or (mode is None and not shared)
    if not two_mode:
        if len(rows) != len(columns):
            key = "error_not_square_hint" if len(columns) <= 2 else "error_not_square"
            raise NetworkFileError(path, key, rows=len(rows), columns=len(columns))
        if set(rows) != set(columns):
            raise NetworkFileError(path, "error_labels",
                                   rows=", ".join(sorted(set(rows) - set(columns))[:3]) or "-",
                                   columns=", ".join(sorted(set(columns) - set(rows))[:3]) or "-")
    elif shared:
        raise NetworkFileError(path, "error_two_mode_overlap", labels=", ".join(sorted(shared)[:5]))
    matrix = np.asarray(values, dtype=float).reshape(len(rows), len(columns))
    ties = [Tie(rows[i], columns[j], float(matrix[i, j])) for i, j in zip(*np.nonzero(matrix),
                                                                          strict=True)]
    if two_mode:
        return NetworkFile(path.name, fmt, {r: {} for r in rows}, ties, False, None,
                           {c: {} for c in columns})
    column_of = {label: j for j, label in enumerate(columns)}
    ordered = matrix[:, [column_of[label] for label in rows]]  # columns in the rows' order
    symmetric = bool(np.array_equal(ordered, ordered.T))
    nodes = {label: {} for label in columns}
    return NetworkFile(path.name, fmt, nodes, ties, None, symmetric)


# UCINET DL -----------------------------------------------------------------------------------

_DL_KEY = re.compile(r"(\w+)\s*=\s*(\"[^\"]*\"|[^\s,]+)", re.IGNORECASE)
_DL_LABELS = re.compile(r"^\s*((?:row |column |col )?)labels(\s+embedded)?\s*:?\s*(.*)$",
                        re.IGNORECASE)


def _read_dl(path: Path, text: str, mode: int | None) -> NetworkFile:
    """UCINET DL: `dl n=… format=fullmatrix|edgelist1|nodelist1`, `nr=… nc=…` for two-mode,
    with `labels:`, `row labels:`, `column labels:` (or `labels embedded`) and `data:`."""
    lowered = text.lower()
    if "data:" not in lowered:
        raise NetworkFileError(path, "error_dl", detail="data:")
    start = lowered.index("data:")
    head, body = text[:start], text[start + len("data:"):]
    settings_text, labels, current, embedded = [], {}, None, False
    for line in head.splitlines():
        found = _DL_LABELS.match(line)
        if found:
            if found.group(2):
                embedded, current = True, None
                continue
            kind = (found.group(1) or "").strip().lower()
            current = "column" if kind.startswith("col") else ("row" if kind else "both")
            labels[current] = []
            line = found.group(3)
        if current is None:
            settings_text.append(line)
            continue
        labels[current] += [a or b for a, b in re.findall(r'"([^"]*)"|([^,\s]+)', line)]
    settings = {k.lower(): v.strip('"').lower() for k, v in _DL_KEY.findall(
        " ".join(settings_text))}
    fmt = settings.get("format", "fullmatrix")
    try:
        n = int(settings.get("n", 0))
        nr, nc = int(settings.get("nr", n)), int(settings.get("nc", n))
    except ValueError:
        raise NetworkFileError(path, "error_dl", detail="n, nr, nc") from None
    two_mode = "nr" in settings or mode == 2
    row_labels = labels.get("row", labels.get("both", []))
    column_labels = labels.get("column", labels.get("both", []) if not two_mode else [])
    lines = [line for line in body.splitlines() if line.strip()]
    if fmt in ("fullmatrix", "fm"):
        if embedded:
            column_labels = lines[0].split()
            lines = lines[1:]
            row_labels = [line.split()[0] for line in lines]
            lines = [" ".join(line.split()[1:]) for line in lines]
        cells = [c for line in lines for c in line.replace(",", " ").split()]
        rows = row_labels or [str(i + 1) for i in range(nr)]
        columns = column_labels or ([str(i + 1) for i in range(nc)] if two_mode else rows)
        if len(cells) != len(rows) * len(columns):
            raise NetworkFileError(path, "error_dl_cells", found=len(cells),
                                   expected=len(rows) * len(columns))
        values = [[_number(path, i + 1, cells[i * len(columns) + j], columns[j])
                   for j in range(len(columns))] for i in range(len(rows))]
        return matrix_record(path, "ucinet_dl", rows, columns, values, 2 if two_mode else mode)
    if fmt not in ("edgelist1", "el1", "nodelist1", "nl1"):
        raise NetworkFileError(path, "error_dl", detail=f"format={fmt}")
    def name(token: str, names: list[str]) -> str:
        if embedded or not names:
            return token
        try:
            return names[int(token) - 1]
        except (ValueError, IndexError):
            raise NetworkFileError(path, "error_dl", detail=token) from None
    ties = []
    for number, line in enumerate(lines, start=1):
        cells = line.replace(",", " ").split()
        if fmt.startswith(("edgelist", "el")):
            if len(cells) < 2:
                raise NetworkFileError(path, "error_columns", row=number, n=len(cells))
            weight = _number(path, number, cells[2]) if len(cells) > 2 else 1.0
            ties.append(Tie(name(cells[0], row_labels),
                            name(cells[1], column_labels if two_mode else row_labels), weight))
        else:
            ties += [Tie(name(cells[0], row_labels),
                         name(c, column_labels if two_mode else row_labels)) for c in cells[1:]]
    nodes = {label: {} for label in row_labels}
    events = {label: {} for label in column_labels} if two_mode else None
    return _assemble(path, "ucinet_dl", nodes, ties, None, two_mode, events)


# Pajek ---------------------------------------------------------------------------------------


def _read_pajek(path: Path, text: str, mode: int | None) -> NetworkFile:
    """Pajek .net: *Vertices n [n1] (n1: the first n1 vertices are the first mode), then
    *Arcs (directed), *Edges (undirected) and *Arcslist/*Edgeslist or *Matrix sections."""
    names: dict[str, str] = {}
    nodes: dict[str, dict] = {}
    ties: list[Tie] = []
    first_mode = None
    section = ""
    directions = set()
    matrix_rows: list[list[float]] = []
    for number, line in _lines(text):
        if line.lstrip().startswith("*"):
            words = line.split()
            section = words[0].lower()
            if section == "*vertices" and len(words) > 2:
                if not words[2].isdigit():
                    raise NetworkFileError(path, "error_columns", row=number, n=len(words))
                first_mode = int(words[2])
            continue
        cells = _pajek_split(line)
        if section == "*vertices":
            label = cells[1] if len(cells) > 1 else cells[0]
            names[cells[0]] = label
            nodes[label] = {}
        elif section in ("*arcs", "*edges", "*arcslist", "*edgeslist"):
            directed = section.startswith("*arcs")
            directions.add(directed)
            if section.endswith("list"):
                targets = [(c, 1.0) for c in cells[1:]]
            else:
                if len(cells) < 2:
                    raise NetworkFileError(path, "error_columns", row=number, n=len(cells))
                targets = [(cells[1], _number(path, number, cells[2]) if len(cells) > 2
                            else 1.0)]
            for target, weight in targets:
                ties.append(Tie(names.get(cells[0], cells[0]), names.get(target, target),
                                weight, directed))
        elif section == "*matrix":
            matrix_rows.append([_number(path, number, c) for c in cells])
    labels = list(nodes)
    if matrix_rows:
        if len(matrix_rows) != len(labels) or any(len(r) != len(labels) for r in matrix_rows):
            raise NetworkFileError(path, "error_dl_cells", found=sum(map(len, matrix_rows)),
                                   expected=len(labels) ** 2)
        if not ties and first_mode is None:  # a matrix alone: read like any matrix
            return matrix_record(path, "pajek", labels, labels, matrix_rows, mode)
        ties += [Tie(labels[i], labels[j], value) for i, line in enumerate(matrix_rows)
                 for j, value in enumerate(line) if value != 0]
        directions.add(any(matrix_rows[i][j] != matrix_rows[j][i] for i in range(len(labels))
                           for j in range(len(labels))))
    declared = None if not directions else (True in directions)
    if len(directions) < 2:  # per-tie direction matters only when *Arcs and *Edges mix
        ties = [replace(tie, directed=None) for tie in ties]
    if first_mode is not None or mode == 2:
        people = labels[:first_mode] if first_mode is not None else \
            list(dict.fromkeys(t.source for t in ties))
        events = {label: nodes[label] for label in labels if label not in set(people)}
        people_nodes = {label: nodes.get(label, {}) for label in people}
        ties = [replace(tie, source=tie.target, target=tie.source) if tie.source in events
                else tie for tie in ties]  # an event listed first: person–event all the same
        return _assemble(path, "pajek", people_nodes, ties, False, True, events)
    return _assemble(path, "pajek", nodes, ties, declared, False)


def _pajek_split(line: str) -> list[str]:
    return [a or b for a, b in re.findall(r'"([^"]*)"|(\S+)', line)]


# GraphML and GEXF ----------------------------------------------------------------------------


def _read_xml(path: Path, fmt: str, mode: int | None) -> NetworkFile:
    try:
        graph = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    except Exception as error:  # noqa: BLE001 - any parser failure is a file the user must fix
        raise NetworkFileError(path, "error_xml", format=fmt.upper(),
                               detail=str(error)[:200]) from None
    labels = {node: str(data.get("label", node)) for node, data in graph.nodes(data=True)}
    if len(set(labels.values())) < len(labels):  # labels that repeat cannot name the nodes
        labels = {node: str(node) for node in graph}
    attrs = {labels[node]: {k: v for k, v in data.items() if k != "label"}
             for node, data in graph.nodes(data=True)}
    ties = [Tie(labels[u], labels[v], float(w) if w is not None else 1.0)
            for u, v, w in graph.edges(data="weight", default=1.0)]
    two_mode = mode == 2 or (mode is None and bool(attrs) and
                             {str(a.get("bipartite")) for a in attrs.values()} == {"0", "1"})
    if two_mode:
        second = {label for label, a in attrs.items() if str(a.get("bipartite")) == "1"}
        if not second:
            second = {tie.target for tie in ties}
        events = {label: a for label, a in attrs.items() if label in second}
        people = {label: a for label, a in attrs.items() if label not in second}
        ties = [tie if tie.target in second else replace(tie, source=tie.target,
                                                          target=tie.source) for tie in ties]
        return _assemble(path, fmt, people, ties, False, True, events)
    return _assemble(path, fmt, attrs, ties, graph.is_directed(), False)


# ---------------------------------------------------------------------------------------------
# Writing


WRITABLE = (".gexf", ".graphml")


def write_network(graph: nx.Graph, path: str | Path) -> Path:
    """Write a graph for Gephi or yEd: GEXF or GraphML by the file's extension, the same bytes
    for the same graph. Node and tie attributes must be text, numbers or booleans (missing
    values are left out)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WRITABLE:
        raise NetworkFileError(path, "error_export_format", formats=", ".join(WRITABLE))
    plain = graph.__class__()
    plain.graph.update({k: v for k, v in graph.graph.items() if _writable(v)})
    for node, data in graph.nodes(data=True):
        plain.add_node(str(node), **{k: _plain(v) for k, v in data.items() if _writable(v)})
    for u, v, data in graph.edges(data=True):
        plain.add_edge(str(u), str(v), **{k: _plain(x) for k, x in data.items() if _writable(x)})
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".gexf":  # without the day it was written, so that a rerun writes the same
        text = "\n".join(nx.generate_gexf(plain))
        text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
        path.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n",
                        encoding="utf-8")
    else:
        nx.write_graphml(plain, path)
    return path


def _writable(value: object) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return False
    return isinstance(value, str | int | float | bool) or hasattr(value, "item")


def _plain(value: object) -> object:
    return value.item() if hasattr(value, "item") else value
