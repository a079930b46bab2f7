"""services.learning."""
