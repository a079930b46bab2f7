"""The web app and JSON API: `create_app(config, clock=..., team=...)` builds one."""

from notnow.web.app import create_app

__all__ = ["create_app"]
