"""Worker processes start only when enough dated reports must be rendered.

A rebuild after one new snapshot, or a deploy whose reports are in the build
cache, renders one or two reports: starting workers (each imports Altair and
vl-convert and loads the data again) would cost it more than it saves
(issue #17). The count is of reports to render, not of reports in the data.
"""

from __future__ import annotations

import multiprocessing
import shutil

from generator.commands.cli import main
from generator.publish import reports
from conftest import FIXTURES, REPO


def test_workers_start_for_many_reports_to_render_and_not_for_one(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data" / "contoh", data / "contoh")
    shutil.copytree(REPO / "data" / "lampung", data / "lampung", ignore=shutil.ignore_patterns("frozen"))
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CAKUPAN_WORKERS", "2")
    monkeypatch.setattr(reports, "MIN_WORKERS", 3)  # the data holds 6 reports; a new snapshot adds 1
    real, started = multiprocessing.get_context, []
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: (started.append(method), real(method))[1])
    args = ["build", "--data", str(data), "--out", str(tmp_path / "site"), "--content", str(REPO / "content"),
            "--templates", str(REPO / "templates")]

    assert main(args) == 0
    assert "spawn" in started  # six reports to render: workers

    started.clear()
    text = (data / "contoh" / "2024-07-31.yaml").read_text(encoding="utf-8")
    (data / "contoh" / "2024-08-31.yaml").write_text(text.replace("2024-07-31", "2024-08-31"), encoding="utf-8")
    assert main(args) == 0
    assert "spawn" not in started  # one report to render, the others linked from the previous site
    assert (tmp_path / "site" / "contoh" / "arsip" / "2024-08-31" / "index.html").is_file()

    started.clear()
    shutil.rmtree(tmp_path / "site")  # a deploy: an empty output folder, the build cache kept
    assert main(args) == 0
    assert "spawn" not in started  # every report from the build cache
