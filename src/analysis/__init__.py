"""Regional diagnostic on smuggling of migrants (CRM): data, diagnostic and report."""

__version__ = "0.1.0"
