"""Use cases that join the core and storage. The CLI, API and web call these, and only these."""
