"""services.team."""
