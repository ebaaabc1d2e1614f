"""Evaluate the coding pipeline on every evaluation set (`make eval`).

Per set (scripts/eval_sets.py lists them and which were tuned on): micro precision/recall/F1 at full
code and 3-character level, E/M exact match (sets with E/M gold), first-listed accuracy, procedure
CPT scores, a confusion of error classes (scripts/eval_errors.py) and the calibration table
(confidence bucket -> share correct). Then speed (notes per CPU-second) and peak memory (RSS).
The encounter's setting (office / inpatient / observation / ED) is passed to the engine when its
input has a place for it. Agreement of the two ACI-BENCH labellers is printed with that set.

    .venv/bin/python scripts/eval.py [--sets stress,aci_bench] [--engine local] [--engine-root DIR]
                                     [--out tests/output/coding_eval.json] [--verbose]

--engine-root scores the engine of another checkout (e.g. a worktree at an older commit) on this
checkout's sets: that is how docs/coding-first-scores.md was measured.
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import inspect
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _engine_root(argv: list[str]) -> Path:
    """--engine-root must be known before smartapp is imported."""
    for i, a in enumerate(argv):
        if a == "--engine-root" and i + 1 < len(argv):
            return Path(argv[i + 1]).resolve()
        if a.startswith("--engine-root="):
            return Path(a.split("=", 1)[1]).resolve()
    return ROOT


ENGINE_ROOT = _engine_root(sys.argv)
sys.path.insert(0, str(ROOT))

from scripts import eval_errors as E  # noqa: E402
from scripts.eval_sets import ALL_SETS, SEALED, TITLES, TUNED_ON, Case, labeller_agreement, load  # noqa: E402

sys.path.insert(0, str(ENGINE_ROOT))   # after our own scripts: only smartapp comes from the engine root
from smartapp.coding import pipeline, types  # noqa: E402
from smartapp.coding.codesets import icd10cm  # noqa: E402
from smartapp.coding.engines import EngineSettings  # noqa: E402

ICD10CM, CPT = types.ICD10CM, types.CPT


@functools.cache
def engine_settings(engine: str) -> EngineSettings:
    """The local engine needs no settings; an external one gets its connection settings (OPENAI_*,
    AWS_REGION) from the app's configuration, the one reader of the environment."""
    if engine == "local":
        return EngineSettings()
    from smartapp.config import Settings

    return Settings.from_env().engine_settings(engine)


_SETTING_NAMES = ("setting", "encounter_class", "encounter_setting")


@functools.cache
def setting_route() -> tuple[str, str] | None:
    """Where the engine takes the encounter's setting: ("note", field) on NoteInput, ("run", keyword)
    of pipeline.run, or None when this engine has no place for it (then it is not passed)."""
    fields = {f.name for f in dataclasses.fields(types.NoteInput)}
    for name in _SETTING_NAMES:
        if name in fields:
            return ("note", name)
    params = inspect.signature(pipeline.run).parameters
    for name in _SETTING_NAMES:
        if name in params:
            return ("run", name)
    return None


def code_case(case: Case, engine: str) -> types.CodingResult:
    route = setting_route()
    note_kw: dict[str, Any] = {}
    run_kw: dict[str, Any] = {}
    if route and case.setting:
        (note_kw if route[0] == "note" else run_kw)[route[1]] = case.setting
    note = types.NoteInput(case.doc_id, case.text, **note_kw)
    return pipeline.run([note], settings=engine_settings(engine), **run_kw)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def _older_code(pred: str, gold: frozenset[str]) -> str:
    """CodiEsp gold predates splits such as R51 -> R51.9 and M54.5 -> M54.50: compare a predicted
    code with its parent when the gold has that parent and FY2026 no longer bills it."""
    parent = icd10cm.parent(pred)
    return parent if parent and parent in gold and not icd10cm.is_billable(parent) else pred


def evaluate_set(key: str, cases: list[Case], engine: str) -> dict:
    counts = {"full": [0, 0, 0], "3char": [0, 0, 0]}
    by_setting: dict[str, list[int]] = {}
    by_style: dict[str, list[int]] = {}
    raw = [0, 0, 0]                       # CodiEsp: before comparing split codes at the old code
    proc = [0, 0, 0]
    fp_classes: list[str] = []
    fn_classes: list[str] = []
    em_classes: list[str] = []
    em_rows: list[dict] = []
    calib: list[tuple[float, bool]] = []
    errors: list[dict] = []
    proc_errors: list[dict] = []
    first_ok = first_n = 0
    cpu0, t0 = time.process_time(), time.perf_counter()
    for case in cases:
        result = code_case(case, engine)
        dx = [s for s in result.suggestions if s.system == ICD10CM and s.category == "diagnosis"]
        preds = {s.code: E.Pred(s.code, s.confidence, s.evidence[0].start if s.evidence else None,
                                s.evidence[0].text if s.evidence else "") for s in dx}
        if key.startswith("codiesp"):
            raw[0] += len(set(preds) & case.gold)
            raw[1] += len(set(preds) - case.gold)
            raw[2] += len(case.gold - set(preds))
            preds = {_older_code(c, case.gold): dataclasses.replace(p, code=_older_code(c, case.gold))
                     for c, p in preds.items()}
        scored = {c for c in preds if c not in case.optional or c in case.gold}
        gold = set(case.gold)
        for level, g, p in (("full", gold, scored), ("3char", {c[:3] for c in gold}, {c[:3] for c in scored})):
            counts[level][0] += len(g & p)
            counts[level][1] += len(p - g)
            counts[level][2] += len(g - p)
        fps, fns = sorted(scored - gold), sorted(gold - scored)
        for table, k in ((by_setting, case.setting), (by_style, case.style)):
            row = table.setdefault(k or "unknown", [0, 0, 0])
            row[0] += len(gold & scored)
            row[1] += len(fps)
            row[2] += len(fns)
        note_fp = [(c, E.classify_fp(c, preds[c], case.text, case.gold, icd10cm.describe(c) or "")) for c in fps]
        note_fn = [(c, E.classify_fn(c, scored)) for c in fns]
        fp_classes += [k for _, k in note_fp]
        fn_classes += [k for _, k in note_fn]
        calib += [(p.confidence, c in case.gold or c in case.optional) for c, p in preds.items()]
        if case.gold_order and dx:
            first_n += 1
            first_ok += dx[0].code == case.gold_order[0]
        elif case.gold_order:
            first_n += 1
        em = next((s.code for s in result.suggestions if s.category == "em" and s.system == CPT), None)
        if case.em is not None:           # None: no E/M gold for this note (not scored)
            cls = E.classify_em(case.em, em)
            em_rows.append({"id": case.doc_id, "gold": case.em, "pred": em, "ok": cls is None,
                            "setting": case.setting})
            if cls:
                em_classes.append(cls)
        if case.procedures is not None:
            pp = {s.code for s in result.suggestions if s.category == "procedure"}
            proc[0] += len(pp & case.procedures)
            proc[1] += len(pp - case.procedures)
            proc[2] += len(case.procedures - pp)
            if pp != case.procedures:
                proc_errors.append({"id": case.doc_id, "missed": sorted(case.procedures - pp),
                                    "extra": sorted(pp - case.procedures)})
        if fps or fns:
            errors.append({"id": case.doc_id, "setting": case.setting, "style": case.style,
                           "extra": [f"{c} ({k}: {preds[c].evidence_text!r})" for c, k in note_fp],
                           "missed": [f"{c} ({k})" for c, k in note_fn]})
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - t0
    out: dict = {
        "title": TITLES[key], "notes": len(cases), "tuned_on": TUNED_ON.get(key),
        "micro": {lvl: prf(*c) for lvl, c in counts.items()},
        "em_scored": len(em_rows),
        "em_exact": round(sum(r["ok"] for r in em_rows) / len(em_rows), 4) if em_rows else None,
        "first_listed_accuracy": round(first_ok / first_n, 4) if first_n else None,
        "error_classes": {"false_positives": E.counts(fp_classes, E.FP_CLASSES),
                          "misses": E.counts(fn_classes, E.FN_CLASSES),
                          "em": E.counts(em_classes, E.EM_CLASSES)},
        "calibration": E.calibration(calib),
        "calibration_error": E.calibration_error(E.calibration(calib)),
        "cpu_seconds": round(cpu, 2), "seconds": round(wall, 2),
        "notes_per_cpu_second": round(len(cases) / cpu, 1) if cpu else None,
        "errors": errors, "em_errors": [r for r in em_rows if not r["ok"]],
    }
    if len(by_setting) > 1:
        out["by_setting"] = {k: prf(*c) for k, c in sorted(by_setting.items())}
        em_by: dict[str, list[int]] = {}
        for r in em_rows:
            row = em_by.setdefault(r["setting"] or "unknown", [0, 0])
            row[0] += r["ok"]
            row[1] += 1
        for k, (ok, n) in em_by.items():
            out["by_setting"][k]["em_exact"] = f"{ok}/{n}"
    if len(by_style) > 1:
        out["by_style"] = {k: prf(*c) for k, c in sorted(by_style.items())}
    out["never_events"] = sum(c in E.NEVER_EVENT_CLASSES for c in fp_classes)
    if key.startswith("codiesp"):
        out["micro_full_without_fy2020_adjustment"] = prf(*raw)
    if proc != [0, 0, 0]:
        out["procedures"] = {"micro": prf(*proc), "errors": proc_errors}
    return out


def print_set(key: str, v: dict, verbose: bool) -> None:
    tuned = f"TUNED_ON: yes - {v['tuned_on']}" if v["tuned_on"] else "TUNED_ON: no"
    print(f"\n== {v['title']} [{key}] - {v['notes']} notes - {tuned}")
    for lvl, m in v["micro"].items():
        print(f"  ICD-10-CM {lvl:6s} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} "
              f"(tp={m['tp']} fp={m['fp']} fn={m['fn']})")
    if "micro_full_without_fy2020_adjustment" in v:
        m = v["micro_full_without_fy2020_adjustment"]
        print(f"  (above, a code split since 2020 is compared at its old code, R51.9 as R51; without that: "
              f"full P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f})")
    for group in ("by_setting", "by_style"):
        for name, m in v.get(group, {}).items():
            em = f"  E/M {m['em_exact']}" if "em_exact" in m else ""
            print(f"    {group[3:] + ' ' + name:30s} full P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} "
                  f"(tp={m['tp']} fp={m['fp']} fn={m['fn']}){em}")
    print(f"  Never-events (a diagnosis from a screening, vaccine, relative, history or hypothetical): "
          f"{v['never_events']}")
    em = f"{v['em_exact']:.1%} of {v['em_scored']}" if v["em_exact"] is not None else "no E/M gold"
    fl = f"{v['first_listed_accuracy']:.1%}" if v["first_listed_accuracy"] is not None else "-"
    print(f"  E/M exact: {em}   first-listed diagnosis: {fl}   "
          f"{v['notes_per_cpu_second']} notes per CPU-second on this set")
    if "procedures" in v:
        pm = v["procedures"]["micro"]
        print(f"  procedures (CPT) P={pm['precision']:.3f} R={pm['recall']:.3f} F1={pm['f1']:.3f} "
              f"(tp={pm['tp']} fp={pm['fp']} fn={pm['fn']})")
    print("  Error classes:")
    for group in ("false_positives", "misses", "em"):
        for cls, n in v["error_classes"][group].items():
            print(f"    {cls:45s} {n:4d}")
    print(f"  Calibration (diagnosis suggestions; correct = gold or optional; "
          f"expected calibration error {v['calibration_error']}):")
    print("    confidence   n    mean conf  share correct")
    for row in v["calibration"]:
        print(f"    {row['bucket']:10s} {row['n']:4d}   {row['mean_confidence']:.2f}       {row['share_correct']:.2f}")
    if "errors" not in v:
        print(f"    (sealed set: {v['notes_with_errors']} notes with errors; per-note errors are not shown)")
        return
    for e in v["errors"] if verbose else v["errors"][:10]:
        print(f"    {e['id']} [{e['setting'] or '-'}]: extra {e['extra']} missed {e['missed']}")
    if not verbose and len(v["errors"]) > 10:
        print(f"    ... {len(v['errors']) - 10} more notes with errors (--verbose)")
    for e in v["em_errors"]:
        print(f"    E/M {e['id']} [{e['setting']}]: gold {e['gold']} got {e['pred']}")


def print_summary(sets: dict[str, dict]) -> None:
    """One line per set, then the error classes as rows with one column per set."""
    if not sets:
        return
    print("\nSummary (full code; * = TUNED_ON)")
    print(f"  {'set':24s} {'notes':>5s} {'P':>6s} {'R':>6s} {'F1':>6s} {'F1-3ch':>6s} {'E/M':>6s} "
          f"{'never':>5s} {'ECE':>5s}")
    for key, v in sets.items():
        m, m3 = v["micro"]["full"], v["micro"]["3char"]
        em = f"{v['em_exact']:.3f}" if v["em_exact"] is not None else "-"
        ece = f"{v['calibration_error']:.3f}" if v["calibration_error"] is not None else "-"
        print(f"  {key + ('*' if v['tuned_on'] else ''):24s} {v['notes']:5d} {m['precision']:6.3f} {m['recall']:6.3f} "
              f"{m['f1']:6.3f} {m3['f1']:6.3f} {em:>6s} {v['never_events']:5d} {ece:>5s}")
    keys = list(sets)
    short = [k.replace("visit_notes_", "").replace("visit_notes", "dev")[:11] for k in keys]
    print(f"\n  {'error class':45s} " + " ".join(f"{k:>11s}" for k in short))
    for group, order in (("false_positives", E.FP_CLASSES), ("misses", E.FN_CLASSES), ("em", E.EM_CLASSES)):
        for cls in order:
            row = [sets[k]["error_classes"][group].get(cls, 0) for k in keys]
            if any(row):
                print(f"  {cls:45s} " + " ".join(f"{n:11d}" for n in row))


def throughput(engine: str, n: int = 200) -> dict:
    """Notes per CPU-second on ~3 KB slices of the development notes (CPU time: the machine is shared)."""
    texts = [p.read_text() for p in sorted((ROOT / "tests" / "data" / "visit_notes").glob("*.txt"))]
    blob = "\n\n".join(texts)
    notes = []
    for i in range(n):
        start = (i * 997) % max(1, len(blob) - 3100)
        start = blob.find("\n", start) + 1
        notes.append(blob[start:start + 3072])
    pipeline.run([types.NoteInput("warm", notes[0])], settings=engine_settings(engine))
    t0, c0 = time.perf_counter(), time.process_time()
    for i, text in enumerate(notes):
        pipeline.run([types.NoteInput(f"n{i}", text)], settings=engine_settings(engine))
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"notes": n, "avg_bytes": sum(len(t.encode()) for t in notes) // n, "seconds": round(secs, 3),
            "notes_per_second": round(n / secs, 1), "cpu_seconds": round(cpu, 3),
            "notes_per_cpu_second": round(n / cpu, 1)}


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)   # KiB on Linux


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", default="local")
    ap.add_argument("--engine-root", default=str(ROOT), help="checkout whose smartapp is scored")
    ap.add_argument("--sets", default=",".join(ALL_SETS), help=f"comma-separated, of: {', '.join(ALL_SETS)}")
    ap.add_argument("--out", default=str(ROOT / "tests" / "output" / "coding_eval.json"))
    ap.add_argument("--codiesp-limit", type=int, default=None)
    ap.add_argument("--no-codiesp", action="store_true")
    ap.add_argument("--no-throughput", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="print every per-note error")
    ap.add_argument("--unseal", action="store_true",
                    help="also show the sealed sets' per-note errors (do not, while changing the engine)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    pipeline.warm()
    report: dict = {"engine": args.engine, "engine_root": "this checkout" if ENGINE_ROOT == ROOT else ENGINE_ROOT.name,
                    "startup_seconds": round(time.perf_counter() - t0, 2), "rss_after_warm_mb": peak_rss_mb(),
                    "setting_passed_as": "/".join(setting_route() or ("not passed: the engine input has no setting",)),
                    "sets": {}}
    print(f"Engine {args.engine} from {report['engine_root']}; encounter setting: {report['setting_passed_as']}")
    for key in [k.strip() for k in args.sets.split(",") if k.strip()]:
        if key.startswith("codiesp") and args.no_codiesp:
            continue
        cases = load(key, args.codiesp_limit if key.startswith("codiesp") else None)
        if not cases:
            continue
        report["sets"][key] = v = evaluate_set(key, cases, args.engine)
        if key in SEALED and not args.unseal:
            v["notes_with_errors"] = len(v.pop("errors"))
            v.pop("em_errors")
            v.pop("procedures", None)
        print_set(key, v, args.verbose)
        if key == "aci_bench" and (agree := labeller_agreement()):
            v["labeller_agreement"] = agree
            print(f"  Labeller agreement on {agree['notes']} double-labelled notes: kappa full "
                  f"{agree['full']['kappa']:.3f}, 3-char {agree['3char']['kappa']:.3f}; identical code sets "
                  f"{agree['full']['exact_set_match']}/{agree['notes']}; "
                  f"mean Jaccard {agree['full']['mean_jaccard']:.2f}")
    print_summary(report["sets"])
    if not args.no_throughput:
        report["throughput"] = t = throughput(args.engine)
        print(f"\nSpeed: {t['notes_per_cpu_second']} notes per CPU-second ({t['notes_per_second']} per wall second) "
              f"on {t['avg_bytes']}-byte notes; start-up {report['startup_seconds']} s once per process")
    report["peak_rss_mb"] = peak_rss_mb()
    print(f"Memory: peak RSS {report['peak_rss_mb']} MB (after warm-up {report['rss_after_warm_mb']} MB)")
    print("TUNED_ON: " + "; ".join(f"{k} ({why})" for k, why in TUNED_ON.items()))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"Results written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
