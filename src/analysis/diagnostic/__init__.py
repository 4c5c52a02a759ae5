"""Findings: clean tables in, tables and numbers out."""
