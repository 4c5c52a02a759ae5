"""Official statistics of irregular migration → the contract's `flows` table.

`import_flows(files, out_dir)` recognizes each file by its columns (`layouts`): U.S. CBP's
published encounters (`cbp`), IOM's gdidata tables of the CRM members' statistics
(`gdidata`, `producers`), or a generic long table named in Spanish or English (`generic`).
Nationality names become ISO3 (`nationality`), counts whole numbers (`counts`); every row is
imported or set aside with its reason (`importer`); breakdowns are views of one total,
compared and never added (`views`).
"""

from analysis.data.adapters.flows.importer import FlowsReport, import_flows
from analysis.data.adapters.flows.layouts import FlowsImportError, UnknownLayout

__all__ = ["FlowsImportError", "FlowsReport", "UnknownLayout", "import_flows"]
