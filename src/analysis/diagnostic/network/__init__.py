"""Smuggling networks, one family per module: `build` (graphs from files and contract tables:
direction, merged ties, two-mode projection), `measures` (whole network and actors),
`brokerage` (Gould-Fernandez roles, cross-border ties), `communities`, `disruption`
(removal scenarios and key players).

Conventions used throughout (so that the networkx and the igraph paths agree):

- The graph's direction is chosen once, when it is built (`build.graph_from_file`), and
  recorded in `graph.graph["reading"]`; edges, density, degrees and degree centralization
  follow it (in- and out-degree for a directed network).
- Measures of paths and position (betweenness, closeness, eigenvector, k-core, clustering,
  components, path lengths) use the *undirected simple view* of the graph: a tie in either
  direction is a tie (components are weak components), parallel ties are merged with their
  weights summed, self-ties are dropped. Brokerage roles and cross-border matrices use
  direction.
- Shortest paths count steps (weights are call or link counts, not distances).
- Betweenness is normalized as networkx does (divided by (n-1)(n-2) over ordered pairs).
- Closeness follows networkx's Wasserman-Faust convention for disconnected graphs:
  (r-1)/sum of distances, times (r-1)/(n-1), r = size of the actor's component.
- Eigenvector centrality is the leading eigenvector of the whole adjacency matrix, which is
  concentrated on the component with the largest leading eigenvalue (the limit networkx's
  power iteration reaches on a disconnected graph): that component gets the unit-norm vector,
  every other actor 0.
- Above `measures.EXACT_LIMIT` actors the igraph path estimates betweenness, closeness and
  path lengths from a fixed-seed sample of sources (per component; small components stay
  exact).
"""
