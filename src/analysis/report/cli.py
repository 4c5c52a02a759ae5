"""The `analysis` command: validate, run, demo-data, template, import-mmp, import-flows,
network-summary, network-export.

Every foreseeable failure ends in a plain message and a non-zero exit, never a traceback
(set ANALYSIS_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis.core import i18n, paths

EXIT_ERRORS = 1
EXIT_SET_ASIDE = 2


def _lang_arg(parser: argparse.ArgumentParser, default: str = "es") -> None:
    parser.add_argument("--lang", choices=i18n.LANGS, default=default,
                        help="language of messages and reports (es|en)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="analysis", description="Regional diagnostic on smuggling of migrants (CRM).")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a data folder and report every problem")
    p.add_argument("data_dir")
    p.add_argument("--xlsx", default=None, metavar="FILE",
                   help="also write the problems as a workbook, one row per problem")
    p.add_argument("--json", default=None, metavar="FILE",
                   help="also write the summary (counts, totals, not read) as JSON")
    _lang_arg(p)

    p = sub.add_parser("run", help="build the diagnostic: validate, run notebooks, render HTML")
    p.add_argument("--config", default=None, help="run configuration (YAML), e.g. config/demo.yml")
    p.add_argument("--data", default=None, help="data folder")
    p.add_argument("--out", default=None, help="output folder (default reports/<name>)")
    p.add_argument("--countries", default=None, help="ISO3 codes, comma-separated")
    p.add_argument("--period", default=None, help="FROM:TO, e.g. 2019:2023 or 2020-01:2021-06")
    p.add_argument("--lang", choices=i18n.LANGS, default=None)
    p.add_argument("--locale", default=None,
                   help="how numbers and dates are written, e.g. es_419 (1,234.5; default for "
                        "es), es_ES (1.234,5), es_CR, en_US (default for en)")
    p.add_argument("--jobs", type=int, default=None, help="notebooks run in parallel")
    p.add_argument("--notebooks", default=None, help="notebook names, comma-separated")
    p.add_argument("--name", default=None, help="run name (default from the config)")
    p.add_argument("--force", action="store_true",
                   help="rebuild every notebook, even those unchanged since the last run")

    p = sub.add_parser("demo-data", help="generate a synthetic dataset for the 11 countries")
    p.add_argument("out_dir")
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=2018)

    p = sub.add_parser("template", help="write empty Excel templates and the data dictionary")
    p.add_argument("out_dir")
    _lang_arg(p)

    p = sub.add_parser("import-mmp", help="import an IOM Missing Migrants CSV as incidents")
    p.add_argument("file")
    p.add_argument("--out", required=True, help="data folder to write")
    p.add_argument("--region", choices=("americas", "crm", "all"), default="americas")
    _lang_arg(p, "en")

    p = sub.add_parser("import-flows", help="import official statistics of irregular migration")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--out", required=True, help="data folder to write")
    p.add_argument("--country", default=None, help="reporting country (ISO3) where a file lacks it")
    p.add_argument("--event", default=None, help="event code where a file lacks it")
    _lang_arg(p, "en")

    p = sub.add_parser("network-summary", help="describe a network file (edge list, matrix, "
                       "UCINET DL, Pajek, GraphML, GEXF)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print JSON")
    _network_args(p)

    p = sub.add_parser("network-export", help="write a network file as GEXF or GraphML (Gephi)")
    p.add_argument("file")
    p.add_argument("out", help="OUT.gexf or OUT.graphml")
    _network_args(p)
    return parser


def _network_args(parser: argparse.ArgumentParser) -> None:
    way = parser.add_mutually_exclusive_group()
    way.add_argument("--directed", dest="direction", action="store_const", const="directed",
                     default="auto", help="read ties as directed")
    way.add_argument("--undirected", dest="direction", action="store_const",
                     const="undirected", help="read ties as undirected")
    parser.add_argument("--mode", type=int, choices=(1, 2), default=None,
                        help="2: people × events (two-mode); default: detect")
    parser.add_argument("--public-labels", action="store_true",
                        help="keep the file's labels (default: keyed pseudonyms)")
    _lang_arg(parser, "en")


def _validate(args) -> int:
    from analysis.data import ingest as io
    from analysis.data import validation_report
    from analysis.data.validation import Discard, validate_folder

    data_dir = paths.resolve(args.data_dir)
    result = validate_folder(data_dir, sink=Discard())
    print(validation_report.render(result, data_dir, args.lang))
    if args.xlsx:
        print(validation_report.write_xlsx(result, paths.resolve(args.xlsx), args.lang))
    if args.json:
        print(validation_report.write_json(result, paths.resolve(args.json)))
    if result.errors:
        return EXIT_ERRORS
    if result.rows_set_aside:
        io.keep_set_aside(result, data_dir)  # in the private folder, for the user
        return EXIT_SET_ASIDE
    return 0


def _run(args) -> int:
    from analysis.report import runner as run

    notebooks = [n.strip() for n in args.notebooks.split(",")] if args.notebooks else None
    config = run.load_config(
        args.config, data=args.data, out=args.out, countries=args.countries,
        period=args.period, lang=args.lang, locale=args.locale, jobs=args.jobs, notebooks=notebooks,
        name=args.name,
    )
    return run.run(config, force=args.force)


def _demo_data(args) -> int:
    from analysis.data.synthetic.generate import generate

    counts = generate(paths.resolve(args.out_dir), scale=args.scale, seed=args.seed)
    for table, n in counts.items():
        print(f"{table:<16} {n:>9,}")
    return 0


def _template(args) -> int:
    from analysis.data import templates

    written = templates.write(paths.resolve(args.out_dir), args.lang)
    for path in written:
        print(path)
    return 0


def _import_mmp(args) -> int:
    from analysis.data.adapters.mmp.importer import import_mmp

    report = import_mmp(Path(args.file), paths.resolve(args.out), region=args.region,
                        lang=args.lang)
    print(report.render(args.lang))
    return 0


def _import_flows(args) -> int:
    from analysis.data.adapters import flows

    report = flows.import_flows([Path(f) for f in args.files], paths.resolve(args.out),
                                country=args.country, event=args.event, lang=args.lang)
    print(report.render(args.lang))
    return 0


def _network_summary(args) -> int:
    from analysis.report import network_report

    print(network_report.network_summary(
        Path(args.file), as_json=args.json, lang=args.lang, direction=args.direction,
        mode=args.mode, public_labels=args.public_labels))
    return 0


def _network_export(args) -> int:
    from analysis.report import network_report

    print(network_report.export_network(
        Path(args.file), paths.resolve(args.out), direction=args.direction,
        mode=args.mode, public_labels=args.public_labels, lang=args.lang))
    return 0


COMMANDS = {
    "validate": _validate, "run": _run, "demo-data": _demo_data, "template": _template,
    "import-mmp": _import_mmp, "import-flows": _import_flows,
    "network-summary": _network_summary, "network-export": _network_export,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    lang = getattr(args, "lang", None) or "es"
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`analysis … | head`): end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the final flush has nowhere to fail
        return 0
    except Exception as error:  # noqa: BLE001 - the one place that turns failures into words
        if os.environ.get("ANALYSIS_DEBUG"):
            raise
        print(explain(error, lang), file=sys.stderr)
        return EXIT_ERRORS


def explain(error: Exception, lang: str) -> str:
    """A failure in plain words."""
    from analysis.core import privacy

    if isinstance(error, privacy.MissingKey):
        return (i18n.t("validation.missing_key", lang, path=error.args[0]) + " "
                + i18n.t("validation.missing_key_fix", lang))
    if isinstance(error, FileNotFoundError):
        return i18n.t("cli.not_found", lang, path=error.filename or error)
    known = ("ConfigError", "NetworkFileError", "MMPImportError", "UnknownLayout",
             "UnknownLanguage", "UnknownLocale", "InputError", "YamlFileError",
             "FlowsImportError")
    if type(error).__name__ in known:
        return i18n.t("cli.error", lang, message=error)
    return i18n.t("cli.unexpected", lang, kind=type(error).__name__, message=error)


if __name__ == "__main__":
    sys.exit(main())
