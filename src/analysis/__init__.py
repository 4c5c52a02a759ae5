"""Regional diagnostic on smuggling of migrants (CRM): data, diagnostic and report."""

import sys

__version__ = "0.1.0"

# jsonschema, which nbformat imports, loads `rfc3987_syntax` when it is installed (JupyterLab
# pulls it in) and compiles 39 grammars for an IRI format check that notebook validation
# never makes: three seconds at every run. Declaring it absent skips that check only.
sys.modules.setdefault("rfc3987_syntax", None)
