"""The package's four wings and the rule that imports point downward only:
report -> diagnostic -> data -> core."""

from __future__ import annotations

import ast

import pytest

from analysis.core import paths

WINGS = ("core", "data", "diagnostic", "report")
RANK = {wing: i for i, wing in enumerate(WINGS)}


def _imports(path) -> set[str]:
    """The `analysis.*` modules a file imports (absolute imports only)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "analysis":
                found.update(f"analysis.{a.name}" for a in node.names)
            elif node.module.startswith("analysis."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("analysis."))
    return found


def _modules():
    for path in sorted(paths.PACKAGE.rglob("*.py")):
        parts = path.relative_to(paths.PACKAGE).parts
        if len(parts) > 1:
            yield parts[0], path


def test_the_package_has_exactly_four_wings():
    top = {p.name for p in paths.PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert top == set(WINGS)
    loose = {p.name for p in paths.PACKAGE.glob("*.py")}
    assert loose <= {"__init__.py", "__main__.py"}


@pytest.mark.parametrize("wing", WINGS)
def test_imports_point_downward_only(wing):
    wrong = []
    for owner, path in _modules():
        if owner != wing:
            continue
        for module in _imports(path):
            target = module.split(".")[1]
            assert target in RANK, f"{path}: imports {module}, outside the four wings"
            if RANK[target] > RANK[wing]:
                wrong.append(f"{path.relative_to(paths.PACKAGE)} imports {module}")
    assert not wrong, "imports must point downward (report → diagnostic → data → core):\n" + (
        "\n".join(wrong))


def test_the_layering_check_sees_an_upward_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from analysis.report import notebook\nimport analysis.diagnostic.routes\n")
    assert _imports(sample) == {"analysis.report", "analysis.diagnostic.routes"}


def test_only_the_reference_module_reads_data_reference():
    readers = [path.relative_to(paths.PACKAGE) for _, path in _modules()
               if "REFERENCE" in path.read_text(encoding="utf-8")
               and path != paths.PACKAGE / "core" / "reference.py"
               and path != paths.PACKAGE / "core" / "paths.py"]
    assert not readers, f"data/reference/ is read outside analysis.core.reference: {readers}"
