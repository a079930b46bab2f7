"""services.demo."""
