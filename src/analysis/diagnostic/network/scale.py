"""The size rule, in one place: from a network's number of actors and ties, which measures are
computed exactly, which are estimated from a fixed-seed sample, and how much of the network a
drawing or an export shows.

- Up to `EXACT_LIMIT` actors every measure is exact (networkx up to `FAST_THRESHOLD` actors,
  igraph above it, with the same values).
- Above it, betweenness, closeness, average path length and diameter are estimated from
  `sources(n, m)` breadth-first searches per large component: `DEFAULT_SAMPLE` while that fits
  in `SEARCH_BUDGET` (searches × (actors + ties)), fewer on larger networks, never fewer than
  `MIN_SAMPLE`. The error of the estimate is measured on a pilot subnetwork of
  `PILOT_ACTORS` actors where the exact values are computed (`measures.sampling_error`).
- Key players: every actor is a candidate up to `KEY_PLAYER_ALL_CANDIDATES` actors, else the
  top `KEY_PLAYER_POOL` by betweenness and by degree.
- Ties keep their {relation: count} up to `TIE_RELATIONS_LIMIT` ties (past it, the links
  table keeps them: a dict per tie is a gigabyte at national scale).
- Communities: Leiden from the leidenalg package up to `LEIDEN_PACKAGE_LIMIT` actors, from
  igraph's own implementation past it (the same algorithm and seed, several times faster).
- Drawings show at most `DRAW_LIMIT` actors (the largest component's actors of highest
  degree); the export for Gephi holds the whole network up to `EXPORT_LIMIT` actors, else
  the drawn view.
"""

from __future__ import annotations

FAST_THRESHOLD = 2_000  # above this many actors centrality()/describe() use igraph
EXACT_LIMIT = 20_000  # above this many actors the fast path samples sources by default
DEFAULT_SAMPLE = 500  # sources sampled per large component, at most
MIN_SAMPLE = 50  # sources sampled per large component, at least
SEARCH_BUDGET = 400_000_000  # breadth-first work of one sampled measure: sources × (n + m)
PILOT_ACTORS = 5_000  # actors of the pilot subnetwork where the sampling error is measured
KEY_PLAYER_ALL_CANDIDATES = 500  # up to this many actors every actor is a key-player candidate
KEY_PLAYER_POOL = 50  # else: this many top actors by betweenness, and by degree
DRAW_LIMIT = 500  # actors drawn in a network map
EXPORT_LIMIT = 20_000  # actors written in full for Gephi
LEIDEN_PACKAGE_LIMIT = 200_000  # actors: leidenalg up to here, igraph's own Leiden past it
TIE_RELATIONS_LIMIT = 200_000  # ties that keep their {relation: count} (memory: a dict each)


def sources(n: int, m: int = 0, sample: int | str | None = "auto") -> int | None:
    """Sources to sample per large component, None for exact. `sample`: "auto" (exact up to
    `EXACT_LIMIT` actors, else as many sources as `SEARCH_BUDGET` allows on n actors and m
    ties, between `MIN_SAMPLE` and `DEFAULT_SAMPLE`), an int, or None (exact)."""
    if sample == "auto":
        if n <= EXACT_LIMIT:
            return None
        return int(min(DEFAULT_SAMPLE, max(MIN_SAMPLE, SEARCH_BUDGET // max(n + m, 1))))
    if sample is None:
        return None
    return int(sample) if int(sample) < n else None


def sampled(n: int, m: int = 0) -> bool:
    """Whether the measures of a network of n actors and m ties are sampled by default."""
    return sources(n, m) is not None
