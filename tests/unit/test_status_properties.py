"""What each status means to the pages that show it: which runs are still waiting for a worker,
which submissions are written back, which encounters keep the queue polling, which syncs are over."""

from __future__ import annotations

from smartapp.models import EncounterStatus, RunStatus, SubmissionStatus
from smartapp.models.sync import SyncStatus


def test_only_finished_runs_stop_the_coding_panel_polling() -> None:
    assert [s for s in RunStatus if not s.terminal] == [RunStatus.PENDING, RunStatus.RUNNING]


def test_created_and_existing_submissions_are_written_back() -> None:
    assert [s for s in SubmissionStatus if s.written_back] == [SubmissionStatus.CREATED, SubmissionStatus.EXISTING]


def test_the_queue_polls_while_a_job_will_change_an_encounter() -> None:
    assert [s for s in EncounterStatus if s.busy] == [EncounterStatus.NEW, EncounterStatus.CODING,
                                                      EncounterStatus.APPROVING]


def test_a_sync_is_over_when_complete_cancelled_or_failed() -> None:
    assert [s for s in SyncStatus if s.terminal] == [SyncStatus.COMPLETE, SyncStatus.CANCELLED, SyncStatus.FAILED]
