"""Every ```python block of docs/distributed.md runs, in order, as one program under
``mpiexec -n 2``: the page's examples cannot rot."""

import pathlib
import re

from tests.distributed._mpi import run_workers

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "distributed.md"


def test_docs_page_runs_on_two_processes(tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)
    assert len(blocks) >= 3
    script = tmp_path / "page.py"
    script.write_text("\n".join(blocks) + "\nprint('page done on rank', rank)\n")
    done = run_workers(str(script), n=2, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("page done on rank") == 2, done.stdout
