"""services.records."""
