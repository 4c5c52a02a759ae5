"""environment.yml (conda-forge) lists the same dependencies as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

import yaml

from analysis.core import paths

CONDA_NAMES = {"igraph": "python-igraph"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_matches_pyproject():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    pip_side = {CONDA_NAMES.get(_name(r), _name(r)): r for r in wanted}
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    conda_side = {_name(d): d for d in env["dependencies"] if isinstance(d, str)}
    conda_side.pop("python")
    conda_side.pop("pip")
    assert sorted(pip_side) == sorted(conda_side)
    for name, requirement in pip_side.items():  # same lower bounds
        assert re.sub(r"^[^<>=!~]+", "", requirement) == re.sub(r"^[^<>=!~]+", "",
                                                                conda_side[name]), name
