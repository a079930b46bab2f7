"""Every app made in a process shares its routes, prepared once: a new app's first requests
prepare nothing again (each test makes apps; so does each `serve` worker, once)."""

from __future__ import annotations

from typing import Any

from web_support import local_client


def test_a_second_app_prepares_no_route_again(config: Any, clock: Any,
                                              monkeypatch: Any) -> None:
    import fastapi.routing

    from notnow.web import create_app

    first = create_app(config, clock=clock)
    with local_client(first) as client:
        assert client.get("/api/v1/agenda").status_code == 200
        assert client.get("/playbook").status_code == 200
    prepared: list[str] = []
    populate = fastapi.routing._populate_api_route_state

    def counted(route: Any, path: str, *args: Any, **kwargs: Any) -> Any:
        prepared.append(path)
        return populate(route, path, *args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "_populate_api_route_state", counted)
    with local_client(create_app(config, clock=clock)) as client:  # closed with its client
        assert client.get("/api/v1/agenda").status_code == 200
        assert client.get("/playbook").status_code == 200
        # what applies to every route still does: a NUL is refused, pages and API alike
        assert client.get("/api/v1/contacts", params={"q": "a\x00b"}).status_code == 422
        assert client.get("/search", params={"q": "a\x00b"}).status_code == 422
    assert prepared == []
