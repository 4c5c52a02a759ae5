"""Input: reading country files, validating them, the pseudonymized cache, templates, adapters."""
