"""Smuggling networks, one family per module: `build` (graphs from files and contract tables:
direction, merged ties, two-mode projection), `measures` (whole network and actors, and the
error of sampled measures), `brokerage` (Gould-Fernandez roles, cross-border ties),
`communities`, `disruption` (removal scenarios and key players), and `scale` (the size rule:
what is exact, sampled or reduced, from the numbers of actors and ties).

Conventions used throughout (so that the networkx and the igraph paths agree):

- The graph's direction is chosen once, when it is built (`build.graph_from_file`), and
  recorded in `graph.graph["reading"]`; every measure follows it. Parallel ties are merged
  with their weights summed and self-ties dropped (`build.path_view`).
- Shortest paths count steps (weights are call or link counts, not distances) and, in a
  directed network, follow the arcs: betweenness counts the shortest directed paths between
  ordered pairs; closeness is measured on out-paths (how fast an actor reaches others).
- Betweenness is normalized as networkx does (divided by (n-1)(n-2) over ordered pairs).
- Closeness is Wasserman-Faust's for graphs not everyone can cross: (r/d) * r/(n-1), r =
  the actors the actor reaches (along arcs when directed), d = their total distance.
- Eigenvector centrality is the Perron vector of the strongly connected component with the
  largest leading eigenvalue (for an undirected graph, its connected component): that
  component gets the unit-norm vector, every other actor 0. In a directed network it is the
  in-eigenvector (an actor is central when central actors send to it), which the power
  iteration over a whole network with sinks or no cycles does not give reliably; within a
  strongly connected component the vector is unique and positive (Perron-Frobenius). An
  acyclic network has no such component: every actor gets 0.
- k-core numbers use total degree in a directed network (in- plus out-degree, a mutual tie
  counting twice), as networkx and igraph (mode "all") both do.
- Components are weak components (a tie in either direction joins two actors); a directed
  network also reports its strongly connected components. Diameter and average path length
  are those of the largest weak component, along arcs when directed (over the ordered pairs
  a path joins). Degree (distinct neighbours) and clustering use the undirected simple
  view, and so do disruption scenarios, key players and communities: what is cut off is
  what no tie, in either direction, still joins (the largest weak component); removal by
  betweenness ranks actors by directed betweenness. Brokerage roles and cross-border
  matrices use direction.
- Above `scale.EXACT_LIMIT` actors the igraph path estimates betweenness, closeness and
  path lengths from a fixed-seed sample of sources (`scale.sources`: per component; small
  components stay exact); `measures.sampling_error` measures the error of that estimate on
  a pilot subnetwork where the exact values are computed, and the report states it.
"""
