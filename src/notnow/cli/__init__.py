"""The `notnow` command line: a thin shell over notnow.services."""
