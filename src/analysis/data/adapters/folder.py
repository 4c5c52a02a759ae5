"""The data folder an importer writes: cleared only when an earlier run of the same importer
wrote it (its `dataset.yml` names the importer and it holds nothing but country folders)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml


def clear_previous(out_dir: Path, importer: str) -> bool:
    """Remove an earlier import by `importer` from `out_dir` and say True; say False, touching
    nothing, when `out_dir` is not a folder or holds anything else."""
    if not out_dir.exists():
        return True
    if not out_dir.is_dir():
        return False
    entries = [p for p in out_dir.iterdir() if not p.name.startswith(".")]
    if not entries:
        return True
    meta_path = out_dir / "dataset.yml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    ours = isinstance(meta, dict) and meta.get("importer") == importer
    strays = [p for p in entries if p != meta_path
              and not (p.is_dir() and re.fullmatch(r"[A-Z]{3}", p.name))]
    if not ours or strays:
        return False
    for path in entries:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return True
