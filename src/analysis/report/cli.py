"""The `analysis` command: validate, run, demo-data, template, import-mmp, network-summary.

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
    _lang_arg(p)

    p = sub.add_parser("run", help="build the diagnostic: validate, run notebooks, render HTML")
    p.add_argument("--config", default=None, help="run configuration (YAML), e.g. config/demo.yml")
    p.add_argument("--data", default=None, help="data folder")
    p.add_argument("--out", default=None, help="output folder (default reports/<name>)")
    p.add_argument("--countries", default=None, help="ISO3 codes, comma-separated")
    p.add_argument("--period", default=None, help="FROM:TO, e.g. 2019:2023 or 2020-01:2021-06")
    p.add_argument("--lang", choices=i18n.LANGS, default=None)
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

    p = sub.add_parser("network-summary", help="describe a network file (edge list or matrix)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print JSON")
    _lang_arg(p, "en")
    return parser


def _validate(args) -> int:
    from analysis.data import ingest as io
    from analysis.data import validation_report
    from analysis.data.sources import read_folder
    from analysis.data.validation import validate

    data_dir = paths.resolve(args.data_dir)
    result = validate(read_folder(data_dir))
    print(validation_report.render(result, data_dir, args.lang))
    if result.errors:
        return EXIT_ERRORS
    if result.rows_set_aside:
        io.ingest(data_dir)  # keeps the set-aside rows in the private folder for the user
        return EXIT_SET_ASIDE
    return 0


def _run(args) -> int:
    from analysis.report import runner as run

    notebooks = [n.strip() for n in args.notebooks.split(",")] if args.notebooks else None
    config = run.load_config(
        args.config, data=args.data, out=args.out, countries=args.countries,
        period=args.period, lang=args.lang, jobs=args.jobs, notebooks=notebooks,
        name=args.name,
    )
    return run.run(config, force=args.force)


def _demo_data(args) -> int:
    from analysis.data import synthetic

    counts = synthetic.generate(paths.resolve(args.out_dir), scale=args.scale, seed=args.seed)
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
    from analysis.data.adapters import mmp

    report = mmp.import_mmp(Path(args.file), paths.resolve(args.out), region=args.region,
                            lang=args.lang)
    print(report.render(args.lang))
    return 0


def _network_summary(args) -> int:
    from analysis.diagnostic import network

    print(network.network_summary(Path(args.file), as_json=args.json, lang=args.lang))
    return 0


COMMANDS = {
    "validate": _validate, "run": _run, "demo-data": _demo_data, "template": _template,
    "import-mmp": _import_mmp, "network-summary": _network_summary,
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
             "UnknownLanguage", "InputError", "YamlFileError")
    if type(error).__name__ in known:
        return i18n.t("cli.error", lang, message=error)
    return i18n.t("cli.unexpected", lang, kind=type(error).__name__, message=error)


if __name__ == "__main__":
    sys.exit(main())
