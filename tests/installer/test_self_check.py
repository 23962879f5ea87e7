"""``localhr --version`` and ``localhr --self-check`` in the development environment.

The self-check runs as its own process, as a person types it: it starts Qt and the demo
central, which a test process should not share with the other tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from localhr.cli import main
from tests.installer.helpers import CHECKS, check_lines, pyproject_version


def run_localhr(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LOCALHR_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "localhr.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_version_is_the_one_in_pyproject(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"LocalHR Desk {pyproject_version()}"


def test_self_check_passes_and_leaves_the_data_folder_as_it_was(tmp_path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text("{}", encoding="utf-8")  # a user's file, untouched

    done = run_localhr("--self-check", data_dir=data)

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"LocalHR Desk {pyproject_version()} self-check")
    assert check_lines(done.stdout) == dict.fromkeys(CHECKS, "ok")
    assert "font Sarabun with Thai" in done.stdout
    assert "localhr_th.qm" in done.stdout
    assert "/health ok" in done.stdout
    assert "self-check passed: 6 of 6 checks ok" in done.stdout
    assert [p.name for p in data.iterdir()] == ["settings.json"]


def test_self_check_fails_when_the_data_folder_takes_no_files(
    tmp_path, capsys, monkeypatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("LOCALHR_DATA_DIR", str(blocker / "data"))
    assert main(["--self-check"]) == 1
    out = capsys.readouterr().out
    assert f"FAIL  data folder: {blocker / 'data'} takes no files" in out
    assert "self-check FAILED" in out


def test_self_check_is_not_combined_with_a_command(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--self-check", "demo"])
    assert done.value.code == 2
    assert "--self-check takes no command" in capsys.readouterr().err
