"""Rebuild data/public/ (the public-data snapshot) from ../shared/realdata/.

The snapshot holds the contract's `flows` and `incidents` tables made from public sources
(official statistics of irregular migration as compiled by IOM's gdidata; IOM Missing
Migrants incidents in the Americas), each as a deterministic gzip CSV with a provenance
sidecar (producer, licence, date and sha256 of every source file), and `dataset.yml`.
The import logic is the project's own (`analysis.data.public.build`), so the snapshot is
exactly what `analysis import-flows` and `analysis import-mmp` make of the same files.

Usage (from the repository root; the realdata folder defaults to ../shared/realdata):

    .venv/bin/python data/public/build_snapshot.py [REALDATA]

`tests/test_public_snapshot.py` rebuilds it where ../shared/realdata exists and checks that
every file is byte-identical.
"""

from __future__ import annotations

import sys

from analysis.data.public import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
