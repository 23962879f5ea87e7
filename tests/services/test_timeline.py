"""A person's timeline: who proposed what, who returned or approved it and why, what each
change replaced; others' unsent drafts stay out; nobody reads another organization's."""

from __future__ import annotations

import pytest

from app.domain.errors import PermissionDenied
from app.services import decisions, people, submissions, timeline
from tests.fixtures_db import free_person_ids, returned_then_approved


def test_the_timeline_tells_who_proposed_returned_and_approved_what(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    returned_then_approved(demo, pid, "แนบคำสั่งเลื่อนขั้น", "30000", "30500")

    entries = timeline.person_timeline(demo.db, demo.supervisor, pid)

    events = [e.event for e in entries]
    assert events == ["proposed", "submitted", "returned", "submitted", "approved"]
    proposed, first, returned, again, approved = entries
    assert proposed.actor_id == demo.clerk and proposed.actor_name
    assert returned.actor_id == demo.supervisor and returned.reason == "แนบคำสั่งเลื่อนขั้น"
    old, new = approved.changes["salary"]
    assert new == "30500" and old != new  # what the change replaced
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    # Only the latest sending's time is kept; the first is known to precede the return.
    assert (first.sending, first.time_recorded, first.at) == (1, False, returned.at)
    assert (again.sending, again.time_recorded) == (2, True)
    assert returned.at < again.at < approved.at


def test_every_sending_and_every_return_is_shown_in_order(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    sid = submissions.start_draft(demo.db, demo.clerk, person_id=pid).submission.id
    for salary, reason in (("30000", "แนบคำสั่ง"), ("30100", "ผิดขั้น"), ("30200", None)):
        submissions.save_draft(demo.db, demo.clerk, sid, fields={"salary": salary})
        submissions.submit(demo.db, demo.clerk, sid)
        if reason:
            decisions.return_submission(demo.db, demo.supervisor, sid, reason)

    shown = timeline.read(demo.db, demo.supervisor, pid)

    assert [e.event for e in shown.entries] == [
        "proposed", "submitted", "returned", "submitted", "returned", "submitted",
    ]  # fmt: skip
    sent = [e for e in shown.entries if e.event == "submitted"]
    assert [(e.sending, e.time_recorded) for e in sent] == [(1, False), (2, False), (3, True)]
    assert [e.reason for e in shown.entries if e.event == "returned"] == ["แนบคำสั่ง", "ผิดขั้น"]
    person = people.get_person(demo.db, demo.supervisor, pid).person
    assert shown.name == (person.prefix, person.first_name_th, person.last_name_th, False)


def test_a_clerks_unsent_draft_is_theirs_alone_and_other_organizations_are_refused(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    sid = submissions.start_draft(demo.db, demo.clerk, person_id=pid).submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"salary": "30000"})

    assert timeline.person_timeline(demo.db, demo.supervisor, pid) == []
    [mine] = timeline.person_timeline(demo.db, demo.clerk, pid)
    assert mine.event == "proposed" and mine.submission_id == sid

    submissions.withdraw(demo.db, demo.clerk, sid)
    events = [e.event for e in timeline.person_timeline(demo.db, demo.clerk, pid)]
    assert events == ["proposed", "withdrawn"]


def test_nobody_reads_the_timeline_of_another_organizations_person(demo, monkeypatch) -> None:
    pid = free_person_ids(demo.db)[0]
    sid = submissions.start_draft(demo.db, demo.clerk, person_id=pid).submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"salary": "30000"})
    submissions.submit(demo.db, demo.clerk, sid)
    import dataclasses

    from app.services import context

    real = context.actor

    def elsewhere(session, actor_id):  # the same supervisor, moved to another organization
        return dataclasses.replace(real(session, actor_id), org_id="other", scope_org_ids=())

    monkeypatch.setattr(timeline, "actor", elsewhere)
    with pytest.raises(PermissionDenied):
        timeline.person_timeline(demo.db, demo.supervisor, pid)
