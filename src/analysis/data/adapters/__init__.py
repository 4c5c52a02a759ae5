"""Adapters: importers that turn public data sets into data folders in the contract's format.

Each adapter reads one producer's files, maps their columns by meaning, and writes a data folder
(`<ISO3>/<table>.csv` plus `dataset.yml`) that
`analysis.data.ingest` ingests like any country's data.

- `analysis.data.adapters.mmp` (a package: layout, parse, place, report, importer): IOM
  Missing Migrants Project incidents → `incidents`.
- `analysis.data.adapters.network_files`: network files (edge lists, matrices, UCINET DL,
  Pajek, GraphML, GEXF) → one plain record for `analysis.diagnostic.network.build`, labels
  pseudonymized; GEXF and GraphML written for Gephi.
- `analysis.data.adapters.flows`: official statistics of irregular migration → `flows`.
"""
