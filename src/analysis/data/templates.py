"""The data dictionary (Markdown, es and en) and empty Excel templates with drop-down lists,
both generated from the contract's `Table` objects that validate the data."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from analysis.core import i18n, reference, workbooks
from analysis.core.contract import TABLES, Field
from analysis.core.text import fold
from analysis.data import columns
from analysis.data.sources import LISTS_SHEET

REQUIRED_FILL = PatternFill("solid", fgColor="FCE5CD")
FORMATS_EXAMPLE = (
    'number_format: {decimal: ",", thousands: "."}   # 1.500,50',
    "date_order: DMY                                  # 15/03/2021",
    "countries:",
    '  USA: {date_order: MDY, number_format: {decimal: ".", thousands: ","}}',
    '  CAN: {date_order: YMD}',
)


def kind_text(f: Field, lang: str) -> str:
    text = i18n.t(f"dictionary.kind_{f.kind}", lang)
    if f.codes:
        text += f" ({f.codes})"
    if f.minimum is not None or f.maximum is not None:
        low = "" if f.minimum is None else i18n.fmt_number(f.minimum, lang)
        high = "" if f.maximum is None else i18n.fmt_number(f.maximum, lang)
        text += f" [{low}…{high}]"
    return text


def dictionary(lang: str) -> str:
    """The data dictionary as Markdown."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    lines = [f"# {t('dictionary.title')}", "", t("dictionary.intro"), ""]
    for table in TABLES.values():
        lines += [f"## `{table.name}`", "", t(f"fields.tables.{table.name}"), "",
                  f"{t('dictionary.key')}: " + ", ".join(f"`{k}`" for k in table.key), "",
                  f"| {t('dictionary.column')} | {t('dictionary.label')} | "
                  f"{t('dictionary.type')} | {t('dictionary.required')} | "
                  f"{t('dictionary.description')} |",
                  "|---|---|---|---|---|"]
        for f in table.fields:
            notes = [t(f"fields.{f.name}")]
            if f.pseudonymize:
                notes.append(t("dictionary.pseudonymized"))
            if f.references:
                notes.append(t("dictionary.references", table=f.references[0],
                               column=f.references[1]))
            required = t("dictionary.yes") if f.required else ""
            lines.append(f"| `{f.name}` | {columns.label(f.name, lang)} | "
                         f"{kind_text(f, lang)} | {required} | {' '.join(notes)} |")
        lines.append("")
    lines += [f"## {t('dictionary.headers_heading')}", "", t("dictionary.headers_text"), "",
              f"## {t('dictionary.formats_heading')}", "", t("dictionary.formats_text"), "",
              "```yaml", *FORMATS_EXAMPLE, "```", ""]
    lines += [f"## {t('dictionary.code_lists')}", ""]
    codes = reference.codelists()
    for name, rows in codes.groupby("list", sort=False):
        lines.append(f"**{name}**: " + "; ".join(
            f"`{c}` {label}" for c, label in zip(rows["code"], rows[f"label_{lang}"],
                                                  strict=True)))
        lines.append("")
    return "\n".join(lines)


def _choices_for(f: Field, lang: str) -> list[str]:
    """What a drop-down offers, as a person reads it in `lang`: labels of codes, names of
    countries, sí/no; validation accepts each of them as it comes."""
    if f.kind == "code":
        return [reference.label(f.codes, c, lang) for c in reference.code_list(f.codes)]
    if f.kind == "country":
        return sorted(reference.countries()[f"name_{lang}"], key=lambda n: fold(n))
    if f.kind == "place":
        return list(reference.places().index)
    if f.kind == "boolean":
        return [i18n.t("dictionary.yes", lang), i18n.t("dictionary.no", lang)]
    return []


def workbook(path: Path, lang: str, country: str = "GTM") -> Path:
    """An empty workbook for one country: one sheet per table, drop-downs from the code lists."""
    book = Workbook()
    book.remove(book.active)
    lists = book.create_sheet(LISTS_SHEET)
    column = 0
    ranges: dict[str, str] = {}
    for table in TABLES.values():
        sheet = book.create_sheet(table.name)
        for i, f in enumerate(table.fields, start=1):
            title = columns.header(f.name, lang)
            cell = sheet.cell(row=1, column=i, value=title)
            cell.font = Font(bold=True)
            if f.required:
                cell.fill = REQUIRED_FILL
            sheet.column_dimensions[cell.column_letter].width = max(14, len(title) + 2)
            codes = _choices_for(f, lang)
            if not codes:
                continue
            key = f.codes or f.kind
            if key not in ranges:
                column += 1
                letter = lists.cell(row=1, column=column).column_letter
                lists.cell(row=1, column=column, value=key).font = Font(bold=True)
                for r, code in enumerate(codes, start=2):
                    lists.cell(row=r, column=column, value=code)
                ranges[key] = f"lists!${letter}$2:${letter}${len(codes) + 1}"
            if f.kind == "codes":
                continue  # several codes per cell: a drop-down would forbid them
            rule = DataValidation(type="list", formula1=ranges[key], allow_blank=True,
                                  showErrorMessage=True)
            rule.error = i18n.t("validation.unknown_code_fix", lang)
            sheet.add_data_validation(rule)
            rule.add(f"{sheet.cell(row=2, column=i).coordinate}:"
                     f"{sheet.cell(row=5000, column=i).coordinate}")
        sheet.freeze_panes = "A2"
        sheet.cell(row=2, column=1, value=None)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    workbooks.save(book, path)
    return path


def write(out_dir: Path, lang: str) -> list[Path]:
    """The template workbook, a CSV folder of headers, and the dictionary in both languages."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [workbook(out_dir / "TEMPLATE.xlsx", lang)]
    csv_dir = out_dir / "csv_template"
    csv_dir.mkdir(exist_ok=True)
    for table in TABLES.values():
        path = csv_dir / f"{table.name}.csv"
        headers = [columns.header(name, lang) for name in table.names]
        path.write_text(",".join(f'"{h}"' for h in headers) + "\n", encoding="utf-8")
        written.append(path)
    for code in i18n.LANGS:
        path = out_dir / f"data_dictionary_{code}.md"
        path.write_text(dictionary(code), encoding="utf-8")
        written.append(path)
    return written
