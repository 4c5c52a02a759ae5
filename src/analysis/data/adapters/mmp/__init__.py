"""IOM Missing Migrants Project (MMP) CSV → the contract's `incidents` table.

`import_mmp(file, out_dir)` writes a data folder that `analysis.data.ingest` ingests: one folder per
country of incident (`<ISO3>/incidents.csv`, plus an empty `cases.csv` that ingestion requires),
`ZZZ/` for incidents in no country (at sea), and `dataset.yml` with the provenance.

Every row read ends in exactly one group, each with its reason: imported, outside the requested
region, or rejected (written with the reason to `<private>/mmp/<stem>_rejected.csv`, see
`paths.private_dir()`: git-ignored, never published). Decisions, documented where they are made:

- Columns are matched by meaning (`COLUMN_ALIASES`), case-, accent- and punctuation-insensitively.
- Americas: IOM's UNSD geographical grouping decides; where it is "Uncategorized" (mostly at
  sea) or empty, IOM's region of incident decides, under the names of any layout
  (`AMERICAS_REGIONS`, `OTHER_REGIONS`: "US-Mexico Border", "Horn of Africa", …); where that
  says nothing either, the coordinates (`point_side`); without them, the country's UNSD
  sub-region.
- CRM: Americas rows whose coordinates fall in a CRM member country, or within
  `COAST_BUFFER_KM` of its coast; rows without coordinates are judged by their country.
- Country of incident: the stated country, else the coordinates (point in the basemap polygon,
  or nearest coast within `COAST_BUFFER_KM`), else, for rows without coordinates or outside
  the Americas (which the basemap does not cover), the last part of IOM's location text;
  else `ZZZ`. Countries missing from data/reference/countries.csv (which ingestion requires)
  also go to `ZZZ`, counted apart in the report.
- Type: `death` when dead > 0, else `disappearance` (IOM records only dead and missing).
- Blank dead or missing count as 0, as IOM's own "Total Number of Dead and Missing" does;
  blank survivors, females, males and children stay blank (unknown, not zero).
- Dates: slash dates are read month first unless the file's values prove day first
  (`_slash_order`); without a day, year + reported month give a month-precision date.

One module per step: `layout` (reading the CSV and recognizing its columns), `parse` (values,
dates, coordinates and counts of each row), `place` (country of incident and region), `report`
(what an import did) and `importer` (`import_mmp`: grouping the rows and writing the folder).
"""
