"""Synthetic demo data: a data folder in the contract's format that describes no real person.

`generate.generate(out_dir, scale, seed)` writes `dataset.yml` and `<ISO3>/<table>.csv` for the 11
CRM countries. Journeys follow the region's corridors through the places gazetteer (Central
America-Mexico-United States, the Darién, the Caribbean sea routes, air routes); cases,
migrants, route legs, incidents and smuggling structures (actors and links) are drawn with
numpy, vectorized, so that scale 100 takes well under a minute. Legislation and Work Plan rows
are illustrative. A few deliberately flawed rows (counted in dataset.yml) exercise the
set-aside path of ingestion. Same seed and scale give byte-identical files. Scales above
`generate.CHUNK_SCALE` are drawn chunk by chunk, so national scale (×1000) fits in memory.

One module per concept: `parameters` (sizes, weights and code lists), `geography` (the
corridors resolved against the gazetteer), `draw` (vectorized drawing helpers), `cases`
(cases, route legs and migrants), `incidents`, `networks` (actors and links),
`illustrative` (legislation and Work Plan rows), `flaws` (planted flawed rows) and
`generate` (assembling and writing the folder).
"""
