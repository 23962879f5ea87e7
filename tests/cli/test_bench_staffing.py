"""``localhr bench staffing`` on a small PC: one JSON object with every figure, over an
office whose slots it made (the figures themselves are in docs/BENCHMARKS.md, never here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.services import structure
from app.store.db import open_database
from localhr.bench_staffing import _office

TIMED = ("picker", "overview", "unit_tree", "unit_slots", "picker_big_office")


def test_bench_staffing_prints_every_figure_as_one_json_object(tmp_path: Path) -> None:
    path = tmp_path / "bench.sqlite3"
    env = {**os.environ, "LOCALHR_DATA_DIR": str(tmp_path)}
    argv = ["bench", "staffing", "--people", "150", "--slots", "200", "--db", str(path),
            "--repeats", "2"]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "localhr.cli", *argv],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr  # 1: a budget not met on this machine
    result = json.loads(done.stdout)
    assert (result["people"], result["slots"]) == (150, 200)
    for name in TIMED:
        assert {f"{name}_first_ms", f"{name}_p50_ms", f"{name}_p95_ms"} <= set(result)
    assert {"picker_search_p50_ms", "picker_search_p95_ms", "budgets_met", "machine"} <= set(result)
    # 10 % of the office's slots are vacant: the picker lists them and the person's own
    assert result["vacancies"] == 20 and result["picker_rows"] == 21

    # the office is made once: a second run reuses it
    db = open_database(path)
    try:
        org_id, clerk = _office(db, 200)
        assert _office(db, 200) == (org_id, clerk)
        overview = structure.staffing_overview(db, clerk)
        assert sum(r.framework for r in overview.rows) == 200
        assert sum(r.frozen for r in overview.rows) == 10
        assert overview.plan_years == (2569, 2570, 2571)
    finally:
        db.close()
