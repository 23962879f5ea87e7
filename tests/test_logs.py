"""The program's log (app/logs.py): rotating UTF-8 files in the data folder, Thai as
written, INFO unless asked for more, and no citizen ID or failed statement's values in it."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.logs import LEVEL_ENV, start_logging

log = logging.getLogger("localhr.test")
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")
# Out of the test's own lines, which a traceback quotes.
ROW = {"citizen_id": "3249800008341", "name": "สมชาย"}


@pytest.fixture
def logged(tmp_path) -> Iterator[Path]:
    """Logging to ``tmp_path``'s log for the test; the file's path."""
    files = start_logging(tmp_path)
    yield files.path
    files.close()


def test_the_log_is_a_file_in_the_data_folder_in_utf8_with_times_at_info(logged, tmp_path):
    log.info("เริ่มซิงก์ %d รายการ", 3)
    log.debug("not at INFO")

    assert logged == tmp_path / "logs" / "localhr.log"
    lines = logged.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert STAMP.match(lines[0])
    assert lines[0].endswith("INFO [MainThread] localhr.test: เริ่มซิงก์ 3 รายการ")


def test_an_environment_variable_asks_for_debug(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(LEVEL_ENV, "debug")
    files = start_logging(tmp_path)
    try:
        log.debug("the details support asked for")
    finally:
        files.close()
    assert "DEBUG" in files.path.read_text(encoding="utf-8")


def test_the_files_rotate_and_only_the_last_ones_are_kept(tmp_path) -> None:
    files = start_logging(tmp_path, max_bytes=2_000, backups=3)
    try:
        for n in range(400):
            log.info("บรรทัดที่ %d", n)
    finally:
        files.close()
    names = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert names == ["localhr.log", "localhr.log.1", "localhr.log.2", "localhr.log.3"]
    assert all(p.stat().st_size <= 2_000 for p in (tmp_path / "logs").iterdir())
    assert "บรรทัดที่ 399" in files.path.read_text(encoding="utf-8")


def test_no_citizen_id_and_no_values_of_a_failed_statement_reach_the_log(logged) -> None:
    engine = sa.create_engine("sqlite://")
    people = sa.Table(
        "people", sa.MetaData(),
        sa.Column("citizen_id", sa.String, unique=True), sa.Column("name", sa.String),
    )  # fmt: skip
    people.metadata.create_all(engine)
    with engine.begin() as db:
        db.execute(people.insert(), ROW)
    try:
        with engine.begin() as db:
            db.execute(people.insert(), ROW)
    except sa.exc.IntegrityError:
        log.exception("the save failed")
    log.warning("looked up 3-2498-00008-34-1 and ๓๒๔๙๘๐๐๐๐๘๓๔๑")
    engine.dispose()

    text = logged.read_text(encoding="utf-8")
    assert "UNIQUE constraint failed" in text and "[parameters: hidden]" in text
    assert "สมชาย" not in text
    assert not re.search(r"\d[- ]?\d{4}[- ]?\d{5}[- ]?\d{2}[- ]?\d", text.replace("x", ""))
    assert text.count("x-xxxx-xxxxx-xx-x") == 2


def test_the_console_keeps_showing_what_it_showed(tmp_path, capsys) -> None:
    console = logging.StreamHandler()
    root = logging.getLogger()
    root.addHandler(console)
    try:
        files = start_logging(tmp_path)
        log.info("only in the file")
        log.warning("in both")
        files.close()
        assert console.level == logging.NOTSET  # given back
    finally:
        root.removeHandler(console)
    assert capsys.readouterr().err == "in both\n"
    assert "only in the file" in files.path.read_text(encoding="utf-8")
