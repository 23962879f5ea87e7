"""``localhr bench …``: the performance budgets of DESIGN.md §8, measured, as JSON."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import demo_data
from app.services import people
from app.store.db import open_database

# Words a clerk types, one keystroke at a time: Thai names and parts of names, position
# titles, romanized names, citizen-ID fragments (with and without dashes), position numbers.
TYPED = (
    "สมชาย", "ใจดี", "ศรีสุข", "วงศ์ใหญ่", "เพ็ญศรี", "กาญจนา", "ทองคำ", "นิติกร",
    "ไพลิน", "แสงทอง", "ครูผู้ดูแล", "somchai", "kanchana", "wong", "3-2498-0",
    "1041", "34-4-72", "1250062", "นาย", "zq",
)  # fmt: skip
REPEATS = 3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def keystrokes() -> list[str]:
    """Every prefix of every typed word, 1 to 8 characters: what search as you type sees."""
    return [word[:n] for word in TYPED for n in range(1, min(len(word), 8) + 1)]


def database(path: Path | None, n: int, seed: int) -> tuple[Path, float | None]:
    """A database with ``n`` demo people: ``path`` reused when it already holds them."""
    if path is not None and path.exists():
        with sqlite3.connect(path) as conn:
            if conn.execute("SELECT count(*) FROM person").fetchone()[0] == n:
                return path, None
        raise SystemExit(f"{path} exists and does not hold {n} people: remove it first")
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="localhr-bench-")) / "bench.sqlite3"
    start = time.perf_counter()
    db = open_database(path)
    demo_data.generate(db, org_code="6340101", people=n, seed=seed)
    db.close()
    return path, time.perf_counter() - start


def bench_search(n: int, *, seed: int = 1, db_path: Path | None = None) -> dict[str, Any]:
    path, generated = database(db_path, n, seed)
    db = open_database(path)  # a fresh open: the first page is measured cold
    try:
        first_page = _timed(lambda: people.list_people(db, limit=100))
        typed = keystrokes()
        for q in typed:  # warm the page cache once, as a session of typing would
            people.list_people(db, q, limit=100, with_total=False)
        page_ms = [
            _timed(lambda q=q: people.list_people(db, q, limit=100, with_total=False))
            for _ in range(REPEATS)
            for q in typed
        ]
        total_ms = [_timed(lambda q=q: people.list_people(db, q, limit=100)) for q in typed]
    finally:
        db.close()
    return {
        "people": n,
        "db_bytes": sum(p.stat().st_size for p in path.parent.glob(path.name + "*")),
        "search_p50_ms": round(statistics.median(page_ms), 2),
        "search_p95_ms": round(percentile(page_ms, 0.95), 2),
        "search_max_ms": round(max(page_ms), 2),
        "search_keystrokes": len(typed),
        "search_with_total_p95_ms": round(percentile(total_ms, 0.95), 2),
        "first_page_ms": round(first_page, 2),
        "generate_s": round(generated, 1) if generated is not None else None,
        "machine": machine(),
    }


def machine() -> dict[str, Any]:
    """What a figure was measured on."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }


def print_json(result: dict[str, Any]) -> None:
    print(json.dumps(result, ensure_ascii=False, indent=2))
