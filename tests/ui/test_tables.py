"""The shared table: the last column fills the row, also in a tab that was filled before it
was first shown (My submissions, the review queue), so no blank strip is left at the right."""

from __future__ import annotations

from tests.fixtures_db import free_person_ids
from tests.ui.editor_fixtures import returned, shown, submitted
from ui.clerk_screens import ClerkScreens
from ui.main_window import MainWindow
from ui.supervisor_screens import SupervisorScreens
from ui.tables import ActivatingTable


def _fills_the_row(table: ActivatingTable) -> bool:
    header = table.horizontalHeader()
    last = table.columnCount() - 1
    return header.sectionViewportPosition(last) + header.sectionSize(last) == (
        table.viewport().width()
    )


def test_the_last_column_fills_the_row_of_a_tab_shown_later(qtbot, demo, runner) -> None:
    returned(demo, free_person_ids(demo.db)[0], "แนบคำสั่ง")
    submitted(demo, free_person_ids(demo.db)[1], salary="31000")
    clerk = MainWindow(demo.db, runner)
    clerk.clerk = ClerkScreens(clerk, demo.db, runner, demo.clerk)
    clerk.resize(1100, 700)
    boss = MainWindow(demo.db, runner)
    boss.supervisor = SupervisorScreens(boss, demo.db, runner, demo.supervisor)
    boss.resize(1100, 700)
    shown(qtbot, clerk)
    shown(qtbot, boss)

    mine = clerk.clerk.my_submissions
    clerk.show_screen(mine)
    queue = boss.supervisor.queue
    boss.show_screen(queue)

    for table in (mine.table, queue.table):
        assert table.rowCount() > 0 and table.isVisible()
        assert _fills_the_row(table)
