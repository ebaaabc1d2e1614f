"""The numbers on the insights page, the CSV downloads and `GET /api/v1/insights/...`: one table per
chart, computed from the decisions recorded on suggestions, scoped to what the person may see.

No PHI in any of it: codes, counts, rates, dates, engine and source names, coders' display names.
Reasons a coder typed themselves are shown as "Other (typed)" (free text may hold anything); any
count from 1 to 4 is shown as "<5" and a rate needs at least 5 decisions (small-count suppression).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from smartapp.insights.feedback import OTHER_REASON
from smartapp.models import (
    ClaimSubmission,
    CodingRun,
    Decision,
    Encounter,
    EncounterSource,
    RunStatus,
    SubmissionStatus,
    Suggestion,
    User,
)
from smartapp.models.base import as_utc
from smartapp.review.decisions import REJECT_REASONS

SUPPRESS_BELOW = 5
NO_REASON = "No reason given"
Cell = str | int | float | None


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    label_column: int = 0       # what the chart's bars are labelled with
    value_column: int = -1      # what their length shows
    percent: bool = True        # the value is a rate in 0..1
    detail_column: int | None = None   # shown after the value (e.g. the top reason)
    note: str = ""

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "columns": self.columns, "rows": self.rows,
                "suppressed_below": SUPPRESS_BELOW, "note": self.note}


@dataclass(frozen=True)
class Row:
    code: str
    suggested: str              # the engine's code (before an edit)
    category: str
    decision: Decision
    reason: str | None
    decided_at: datetime | None
    coder: str
    engine: str
    source: str
    finished_at: datetime | None


def count(n: int) -> int | str:
    return "<5" if 0 < n < SUPPRESS_BELOW else n


def _source(encounter_source: EncounterSource, launch_id: int | None, connection_id: int | None) -> str:
    if encounter_source == EncounterSource.FILE_UPLOAD:
        return "upload"
    if launch_id is not None:
        return "EHR launch"
    return "sync" if connection_id is not None else "API ingest"


def _reason(reason: str | None) -> str:
    if not reason:
        return NO_REASON
    return reason if reason in REJECT_REASONS else OTHER_REASON


def load(session: Session, scope: ColumnElement[bool], since: datetime) -> list[Row]:
    """Decided engine suggestions of the encounters in `scope`, decided since `since`."""
    query = (select(Suggestion.code, Suggestion.original_code, Suggestion.category, Suggestion.decision,
                    Suggestion.decision_reason, Suggestion.decided_at, User.display_name, CodingRun.engine,
                    Encounter.source, Encounter.launch_session_id, Encounter.fhir_connection_id, CodingRun.finished_at)
             .join(CodingRun, CodingRun.id == Suggestion.run_id).join(Encounter, Encounter.id == CodingRun.encounter_id)
             .outerjoin(User, User.id == Suggestion.decided_by_id)
             .where(scope, Suggestion.origin == "engine", Suggestion.decision != Decision.PENDING,
                    Suggestion.decided_at >= since))
    return [Row(code, original or code, category, decision, reason, as_utc(decided) if decided else None,
                coder or "unknown", engine, _source(source, launch, connection), as_utc(done) if done else None)
            for code, original, category, decision, reason, decided, coder, engine, source, launch, connection, done
            in session.execute(query)]


def _hidden_note(hidden: int, what: str) -> str:
    return f"Not shown, fewer than {SUPPRESS_BELOW} decisions each: {what}, {hidden}." if hidden else ""


def _acceptance(table_id: str, title: str, key_name: str, rows: Iterable[Row], key: Callable[[Row], str],
                limit: int = 20, drop_small: bool = False) -> Table:
    decided: Counter[str] = Counter()
    accepted: Counter[str] = Counter()
    edited: Counter[str] = Counter()
    for r in rows:
        k = key(r)
        decided[k] += 1
        if r.decision == Decision.ACCEPTED:
            accepted[k] += 1
            edited[k] += r.code != r.suggested
    table = Table(table_id, title, [key_name, "decided", "accepted", "of which edited", "rejected", "acceptance rate"])
    # A code or family seen fewer than 5 times could point at a patient: such rows are left out.
    shown = [(k, n) for k, n in decided.items() if n >= SUPPRESS_BELOW or not drop_small]
    for k, n in sorted(shown, key=lambda kv: (-kv[1], kv[0]))[:limit]:
        rate = round(accepted[k] / n, 3) if n >= SUPPRESS_BELOW else None
        table.rows.append([k, count(n), count(accepted[k]), count(edited[k]), count(n - accepted[k]), rate])
    table.note = _hidden_note(len(decided) - len(shown), f"{key_name}s" if key_name != "family" else "families")
    return table


def _week(moment: datetime) -> str:
    day = moment.date()
    return (day - timedelta(days=day.weekday())).isoformat()


def top_rejected(rows: list[Row]) -> Table:
    rejected = [r for r in rows if r.decision == Decision.REJECTED]
    per_code = Counter(r.suggested for r in rejected)
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rejected:
        reasons[r.suggested][_reason(r.reason)] += 1
    table = Table("top-rejected", "Most rejected codes and their reasons",
                  ["code", "rejected", "top reason", "top reason count"], percent=False, value_column=1,
                  detail_column=2)
    for code, n in [(c, n) for c, n in per_code.most_common() if n >= SUPPRESS_BELOW][:15]:
        reason, times = reasons[code].most_common(1)[0]
        table.rows.append([code, count(n), reason, count(times)])
    table.note = _hidden_note(sum(1 for n in per_code.values() if n < SUPPRESS_BELOW), "codes rejected")
    return table


def frequent_edits(rows: list[Row]) -> Table:
    edits = Counter((r.suggested, r.code) for r in rows if r.decision == Decision.ACCEPTED and r.code != r.suggested)
    table = Table("edits", "Most frequent edits (suggested → chosen)", ["suggested", "chosen", "times", "edit"],
                  label_column=3, value_column=2, percent=False)
    for (a, b), n in [(pair, n) for pair, n in edits.most_common() if n >= SUPPRESS_BELOW][:15]:
        table.rows.append([a, b, count(n), f"{a} → {b}"])
    table.note = _hidden_note(sum(1 for n in edits.values() if n < SUPPRESS_BELOW), "edits made")
    return table


BUCKETS = ((timedelta(minutes=1), "under 1 minute"), (timedelta(minutes=10), "1–10 minutes"),
           (timedelta(hours=1), "10–60 minutes"), (timedelta(days=1), "1–24 hours"), (None, "over a day"))


def _durations(table_id: str, title: str, durations: list[timedelta]) -> Table:
    counts: Counter[str] = Counter()
    for d in durations:
        counts[next(label for limit, label in BUCKETS if limit is None or d < limit)] += 1
    table = Table(table_id, title, ["time", "count", "share"], detail_column=1)
    for _, label in BUCKETS:
        n = counts[label]
        table.rows.append([label, count(n), round(n / len(durations), 3) if len(durations) >= SUPPRESS_BELOW else None])
    if len(durations) >= SUPPRESS_BELOW:
        median = statistics.median(d.total_seconds() for d in durations) / 60
        table.note = f"Median {median:.1f} minutes over {len(durations)}."
    return table


def time_to_decision(rows: list[Row]) -> Table:
    spans = [r.decided_at - r.finished_at for r in rows
             if r.decided_at and r.finished_at and r.decided_at >= r.finished_at]
    return _durations("time-to-decision", "Time from suggestion to decision", spans)


def time_to_writeback(session: Session, scope: ColumnElement[bool], since: datetime) -> Table:
    pairs = session.execute(
        select(ClaimSubmission.created_at, CodingRun.finished_at)
        .join(CodingRun, CodingRun.id == ClaimSubmission.run_id).join(Encounter, Encounter.id == CodingRun.encounter_id)
        .where(scope, ClaimSubmission.created_at >= since,
               ClaimSubmission.status.in_([SubmissionStatus.CREATED, SubmissionStatus.EXISTING])))
    spans = [as_utc(sent) - as_utc(done) for sent, done in pairs if done is not None and as_utc(sent) >= as_utc(done)]
    return _durations("time-to-writeback", "Time from suggestion to write-back", spans)


def waiting_per_day(session: Session, scope: ColumnElement[bool], days: int, today: date) -> Table:
    """Encounters coded and not yet written back at the end of each day."""
    ready: dict[int, datetime] = {}
    for encounter_id, done in session.execute(
            select(CodingRun.encounter_id, CodingRun.finished_at)
            .join(Encounter, Encounter.id == CodingRun.encounter_id)
            .where(scope, CodingRun.status == RunStatus.COMPLETE, CodingRun.finished_at.is_not(None))):
        if done is None:
            continue
        moment = as_utc(done)
        ready[encounter_id] = min(ready.get(encounter_id, moment), moment)
    written: dict[int, datetime] = {}
    for encounter_id, sent in session.execute(
            select(ClaimSubmission.encounter_id, ClaimSubmission.created_at).join(
                Encounter, Encounter.id == ClaimSubmission.encounter_id)
            .where(scope, ClaimSubmission.status.in_([SubmissionStatus.CREATED, SubmissionStatus.EXISTING]))):
        moment = as_utc(sent)
        written[encounter_id] = min(written.get(encounter_id, moment), moment)
    table = Table("waiting", "Encounters waiting for review, per day", ["day", "waiting"], value_column=1,
                  percent=False)
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        n = sum(1 for e, at in ready.items() if at < end and (e not in written or written[e] >= end))
        table.rows.append([day.isoformat(), count(n)])
    return table


CHARTS = ("by-code", "by-family", "by-engine", "by-source", "by-coder", "over-time", "top-rejected", "edits",
          "time-to-decision", "time-to-writeback", "waiting")


def build(session: Session, scope: ColumnElement[bool], *, days: int = 90, now: datetime | None = None,
          only: str | None = None) -> dict[str, Table]:
    """Every chart's table (or just `only`) over the last `days` days."""
    now = now or datetime.now(UTC)
    since = now - timedelta(days=days)
    wanted = [only] if only else list(CHARTS)
    rows = load(session, scope, since) if set(wanted) - {"time-to-writeback", "waiting"} else []
    makers: dict[str, Callable[[], Table]] = {
        "by-code": lambda: _acceptance("by-code", "Acceptance by code", "code", rows, lambda r: r.suggested,
                                       drop_small=True),
        "by-family": lambda: _acceptance("by-family", "Acceptance by code family (3-character category)",
                                         "family", rows, lambda r: r.suggested[:3], drop_small=True),
        "by-engine": lambda: _acceptance("by-engine", "Acceptance by engine", "engine", rows, lambda r: r.engine),
        "by-source": lambda: _acceptance("by-source", "Acceptance by source", "source", rows, lambda r: r.source),
        "by-coder": lambda: _acceptance("by-coder", "Acceptance by coder", "coder", rows, lambda r: r.coder),
        "over-time": lambda: _acceptance("over-time", "Acceptance over time (by week)", "week starting",
                                         sorted(rows, key=lambda r: r.decided_at or now),
                                         lambda r: _week(r.decided_at or now), limit=60),
        "top-rejected": lambda: top_rejected(rows),
        "edits": lambda: frequent_edits(rows),
        "time-to-decision": lambda: time_to_decision(rows),
        "time-to-writeback": lambda: time_to_writeback(session, scope, since),
        "waiting": lambda: waiting_per_day(session, scope, min(days, 14), now.date()),
    }
    tables = {key: makers[key]() for key in wanted}
    if "over-time" in tables:   # weeks in order, not by volume
        tables["over-time"].rows.sort(key=lambda row: str(row[0]))
    return tables
