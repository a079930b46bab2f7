"""Files notnow writes that hold people's data: created readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path

from notnow.errors import StorageError

PRIVATE_FILE = 0o600


def write_private(path: Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` (replacing it) with mode 0600, atomically."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, PRIVATE_FILE)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise StorageError(f"cannot write {path}: {exc.strerror}") from None
    return path
