"""Build step: a wheel carries the notebooks and the reference data inside the package.

In a checkout they stay at the top of the repository (notebooks/, data/reference/) and
`analysis.core.paths` finds them there; `pip install .` copies them into
`analysis/shipped/` so that an installed `analysis run` has them too. Editable installs
(`make setup`) copy nothing.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = {"notebooks": ("*.ipynb",), "data/reference": ("*.csv", "*.geojson", "*.yml", "*.md")}


class BuildPyWithResources(build_py):
    """build_py, plus the notebooks and data/reference copied into analysis/shipped/."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for source, patterns in SHIPPED.items():
            target = Path(self.build_lib) / "analysis" / "shipped" / Path(source).name
            target.mkdir(parents=True, exist_ok=True)
            for pattern in patterns:
                for path in sorted((HERE / source).glob(pattern)):
                    shutil.copy2(path, target / path.name)


setup(cmdclass={"build_py": BuildPyWithResources})
