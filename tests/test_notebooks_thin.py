"""Notebooks tell the story; the package holds the logic.

Every notebook opens with a markdown cell, has a first code cell tagged `parameters` that
holds literals only, is committed without outputs, defines no function, does not call
`plt.show()` (the report helper shows and closes each figure) and does not capture outputs
to hide a table (`report.table(..., show=False)` does that). Together the notebooks stay well
under a thousand lines of code.
"""

from __future__ import annotations

import ast

import nbformat
import pytest

from analysis.core import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))
CODE_LINE_BUDGET = 1000


def _read(path):
    return nbformat.read(path, as_version=4)


def _code(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _tree(cell) -> ast.Module:
    return ast.parse(cell.source)


def problems(notebook) -> list[str]:
    """Everything that keeps a notebook from being thin, in words."""
    found = []
    if not notebook.cells or notebook.cells[0].cell_type != "markdown" or not (
            notebook.cells[0].source.strip()):
        found.append("does not open with a markdown cell")
    code = _code(notebook)
    if not code or "parameters" not in code[0].metadata.get("tags", []):
        found.append("its first code cell is not tagged `parameters`")
    else:
        for node in _tree(code[0]).body:
            if not isinstance(node, ast.Assign):
                found.append("the parameters cell holds more than assignments")
                continue
            try:
                ast.literal_eval(node.value)
            except ValueError:
                found.append(f"parameter on line {node.lineno} is not a literal")
    for number, cell in enumerate(code, start=1):
        if cell.get("outputs") or cell.get("execution_count") is not None:
            found.append(f"code cell {number} has outputs")
        for node in ast.walk(_tree(cell)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                          | ast.ClassDef):
                found.append(f"code cell {number} defines a function or class (line "
                             f"{node.lineno})")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "show" and isinstance(node.func.value, ast.Name)
                  and node.func.value.id == "plt"):
                found.append(f"code cell {number} calls plt.show() (line {node.lineno})")
            elif isinstance(node, ast.Name | ast.alias) and "capture_output" in (
                    getattr(node, "id", None), getattr(node, "name", None)):
                found.append(f"code cell {number} captures outputs")
    return found


def test_the_header_is_for_readers_of_the_notebook_not_of_the_report(tmp_path):
    """The markdown header documents the notebook; the report page leaves it out."""
    from analysis.report import html

    for path in NOTEBOOKS:
        header = _read(path).cells[0]
        if header.cell_type != "markdown":
            continue  # reported by test_notebook_is_thin
        assert header.metadata.get("transient", {}).get("remove_source") is True, path.name
    path = paths.NOTEBOOKS / "80_methodology.ipynb"
    first_line = _read(path).cells[0].source.splitlines()[0]
    page, _ = html.render_notebook(path, tmp_path, "80_methodology", "en")
    assert first_line not in (tmp_path / page).read_text(encoding="utf-8")


def code_lines(notebook) -> int:
    return sum(len(cell.source.splitlines()) for cell in _code(notebook))


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in NOTEBOOKS])
def test_notebook_is_thin(path):
    found = problems(_read(path))
    assert not found, f"{path.name}: " + "; ".join(found)


def test_the_notebooks_hold_well_under_a_thousand_lines_of_code():
    total = sum(code_lines(_read(p)) for p in NOTEBOOKS)
    assert total < CODE_LINE_BUDGET, f"the notebooks hold {total} lines of code"


def _notebook(*cells):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = list(cells)
    return notebook


def _parameters(source='lang = "es"'):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    return cell


@pytest.mark.parametrize("bad, expected", [
    ([_parameters(), nbformat.v4.new_code_cell("x = 1")], "markdown"),
    ([nbformat.v4.new_markdown_cell("About"), _parameters(),
      nbformat.v4.new_code_cell("def f():\n    return 1")], "defines a function"),
    ([nbformat.v4.new_markdown_cell("About"), _parameters(),
      nbformat.v4.new_code_cell("plt.show()")], "plt.show()"),
    ([nbformat.v4.new_markdown_cell("About"), _parameters(),
      nbformat.v4.new_code_cell("with capture_output():\n    pass")], "captures outputs"),
    ([nbformat.v4.new_markdown_cell("About"), _parameters("lang = choose()")], "not a literal"),
    ([nbformat.v4.new_markdown_cell("About"), nbformat.v4.new_code_cell("x = 1")],
     "parameters"),
])
def test_the_check_sees_each_problem(bad, expected):
    assert any(expected in p for p in problems(_notebook(*bad)))


def test_the_check_sees_outputs():
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.outputs = [nbformat.v4.new_output("stream", text="1")]
    found = problems(_notebook(nbformat.v4.new_markdown_cell("About"), _parameters(), cell))
    assert any("outputs" in p for p in found)


def test_a_thin_notebook_passes():
    thin = _notebook(nbformat.v4.new_markdown_cell("About"), _parameters(),
                     nbformat.v4.new_code_cell('report.h2("routes.flows")'))
    assert problems(thin) == []
