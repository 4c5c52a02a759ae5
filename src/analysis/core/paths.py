"""Where things live. Every path derives from the package (in a checkout, from the repository
it sits in); only an installed package takes the user's relative paths from the working
directory."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import yaml

PACKAGE = Path(__file__).resolve().parents[1]
CHECKOUT = PACKAGE.parents[1]  # the repository, when the package runs from one
# A wheel carries the notebooks and data/reference here (copied by setup.py's build step).
SHIPPED = PACKAGE / "shipped"
IN_CHECKOUT = (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "notebooks").is_dir()
# In a checkout (`make setup`, editable), everything lives in the repository. Installed
# (`pip install .`), the notebooks and reference data come from the package, and the user's
# relative paths and the default reports/ folder are taken from the working directory.
ROOT = CHECKOUT if IN_CHECKOUT else Path.cwd().resolve()
NOTEBOOKS = CHECKOUT / "notebooks" if IN_CHECKOUT else SHIPPED / "notebooks"
DATA = ROOT / "data"
REFERENCE = DATA / "reference" if IN_CHECKOUT else SHIPPED / "reference"
DEMO = DATA / "demo"
RAW = DATA / "raw"
CONFIG = ROOT / "config"
REPORTS = ROOT / "reports"
MESSAGES = PACKAGE / "core" / "messages"
STYLE = PACKAGE / "report" / "style"
TEMPLATES = PACKAGE / "report" / "templates"  # Jinja2 page templates and the nbconvert one


def resolve(path: str | Path) -> Path:
    """A user path: absolute as given; relative ones from the project root in a checkout, from
    the working directory when installed."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else (ROOT / path).resolve()


STATE_ENV = "ANALYSIS_STATE_DIR"  # where cache/ and private/ go instead of the default


def state_dir() -> Path:
    """Where the cache and the private folder live: $ANALYSIS_STATE_DIR, else the checkout,
    else (installed) the user's state folder ($XDG_STATE_HOME/analysis, ~/.local/state/analysis)."""
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override)
    if IN_CHECKOUT:
        return CHECKOUT
    xdg = os.environ.get("XDG_STATE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "state") / "analysis"


def _folder_key(data_dir: Path) -> str:
    """A data folder's name plus a digest of its full path: one cache per folder."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:10]
    return f"{data_dir.resolve().name}-{digest}"


def cache_dir(data_dir: str | Path) -> Path:
    """The clean, pseudonymized Parquet cache of one data folder."""
    return state_dir() / "cache" / _folder_key(resolve(data_dir))


def set_aside_dir(data_dir: str | Path) -> Path:
    """The private folder holding the rows set aside from one data folder (never published)."""
    return private_dir() / _folder_key(resolve(data_dir)) / "set_aside"


def private_dir() -> Path:
    """The private folder (git-ignored, never published): set-aside and rejected rows."""
    return state_dir() / "private"


class YamlFileError(ValueError):
    """A YAML file that cannot be read: which file, where, what is wrong."""


def read_yaml(path: str | Path):
    """A YAML file's content (None if empty), parsed by libyaml where it is installed."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except UnicodeDecodeError as error:
        raise YamlFileError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise YamlFileError(f"{path}: not valid YAML{where}: {problem}") from None


OUTPUT_MARK = ".analysis-output"  # the file that says: this folder was written by a run


class NotAnOutputFolder(ValueError):
    """A folder that a run was asked to clear but did not write."""


def check_output_folder(folder: Path) -> Path:
    """`folder`, resolved, if a run may write into it (it is empty, absent, or carries the mark
    of an earlier run).

    Refuses (NotAnOutputFolder) the project root or any folder above it, the data folder or
    anything in it, and any non-empty folder that does not carry the mark of an earlier run.
    """
    folder = Path(folder).resolve()
    protected = [ROOT, DATA, NOTEBOOKS, REFERENCE, CONFIG, PACKAGE, Path.home().resolve()]
    if (any(folder == p or folder in p.parents for p in protected)
            or DATA in folder.parents or folder.is_file()):
        raise NotAnOutputFolder(str(folder))
    if folder.is_dir() and any(folder.iterdir()):
        # runs before the mark existed left their manifest.json
        if not ((folder / OUTPUT_MARK).is_file() or (folder / "manifest.json").is_file()):
            raise NotAnOutputFolder(str(folder))
    return folder


def clear_output(folder: Path) -> Path:
    """Empty `folder` for a new run and mark it as a run's output (under the rules of
    `check_output_folder`)."""
    folder = check_output_folder(folder)
    if folder.is_dir():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / OUTPUT_MARK).write_text("written by `analysis run`; cleared by the next run\n",
                                      encoding="utf-8")
    return folder
