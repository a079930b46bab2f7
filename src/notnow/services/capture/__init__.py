"""services.capture."""
