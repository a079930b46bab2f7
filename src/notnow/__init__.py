"""notnow: every "no" is a "not now"."""

__version__ = "0.1.0"
