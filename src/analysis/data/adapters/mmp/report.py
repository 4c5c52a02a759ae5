"""What one IOM Missing Migrants import did: every row accounted for."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analysis.core import i18n
from analysis.data.adapters.mmp.place import COAST_BUFFER_KM

# Reasons, in the order rows are checked; keys of the message catalog `mmp.reason_<code>`.
OUTSIDE_REASONS = ("outside_americas", "no_region", "outside_crm")
REJECT_REASONS = (
    "no_id", "no_date", "bad_date", "date_out_of_range", "bad_coordinates",
    "coordinates_out_of_range", "not_a_count", "negative_count", "no_dead_or_missing",
    "totals_disagree", "bad_source_quality",
)


@dataclass
class ImportReport:
    """What one import did: every row accounted for, and the dead and missing kept."""

    file: Path
    sha256: str
    encoding: str
    layout: str
    licence: str
    region: str
    out_dir: Path
    read: int
    imported: int
    outside: dict[str, int]  # reason → rows
    rejected: dict[str, int]  # reason → rows
    dead: dict[str, int]  # group (read, imported, outside, rejected) → sum
    missing: dict[str, int]
    by_country: dict[str, int]  # reporting country → incidents imported
    notes: dict[str, int] = field(default_factory=dict)  # note code → rows
    columns: dict[str, str] = field(default_factory=dict)  # concept → column of the file
    date_order: str = ""
    rejected_file: Path | None = None

    @property
    def outside_total(self) -> int:
        return sum(self.outside.values())

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    @property
    def reconciles(self) -> bool:
        groups = ("imported", "outside", "rejected")
        rows_ok = self.read == self.imported + self.outside_total + self.rejected_total
        sums_ok = all(s["read"] == sum(s[g] for g in groups) for s in (self.dead, self.missing))
        return rows_ok and sums_ok

    def render(self, lang: str = "en") -> str:
        """The summary the command line prints."""
        def n(value: int) -> str:
            return i18n.fmt_number(value, lang)

        def msg(key: str, **values: object) -> str:
            return i18n.t(f"mmp.{key}", lang, **values)

        lines = [
            msg("report_heading", file=self.file.name),
            msg("report_layout", layout=msg(f"layout_{self.layout}"), encoding=self.encoding,
                licence=self.licence if self.licence else msg("licence_unknown")),
            msg("report_region", region=msg(f"region_{self.region}")),
            msg("report_read", n=n(self.read)),
            msg("report_imported", n=n(self.imported)),
            msg("report_outside", n=n(self.outside_total)),
        ]
        km = i18n.fmt_number(COAST_BUFFER_KM, lang)
        lines += [msg("report_reason", n=n(v), reason=msg(f"reason_{k}", km=km))
                  for k, v in self.outside.items() if v]
        lines.append(msg("report_rejected", n=n(self.rejected_total)))
        lines += [msg("report_reason", n=n(v), reason=msg(f"reason_{k}"))
                  for k, v in self.rejected.items() if v]
        for key, sums in (("report_dead", self.dead), ("report_missing", self.missing)):
            lines.append(msg(key, read=n(sums["read"]), imported=n(sums["imported"]),
                             outside=n(sums["outside"]), rejected=n(sums["rejected"])))
        if self.by_country:
            ranked = sorted(self.by_country.items(), key=lambda kv: (-kv[1], kv[0]))
            lines.append(msg("report_countries", countries=", ".join(
                f"{code} {n(count)}" for code, count in ranked)))
        notes = [msg(f"note_{k}", n=n(v), km=km) for k, v in self.notes.items() if v]
        if self.date_order:
            notes.append(msg(f"note_date_order_{self.date_order}"))
        if notes:
            lines.append(msg("report_notes"))
            lines += [f"  - {text}" for text in notes]
        lines.append(msg("report_written", out=str(self.out_dir), folders=n(len(self.by_country))))
        if self.rejected_file is not None:
            lines.append(msg("report_rejected_file", path=str(self.rejected_file)))
        return "\n".join(lines)
