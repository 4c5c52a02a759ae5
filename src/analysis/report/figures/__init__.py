"""Charts and maps for the annex."""
