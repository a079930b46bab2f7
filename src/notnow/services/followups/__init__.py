"""services.followups."""
