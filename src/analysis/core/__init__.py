"""Foundation: paths, message catalogs, reference data, privacy and the data contract."""
