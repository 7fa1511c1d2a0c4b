#!/usr/bin/env python3
"""The Titan on real public code (issue 12, "Proof").

For every join of the corpus (tests/corpus/manifest.json, materialised by
tools/corpus.py) this makes the recommendation a real event log gives
(resolved table or path, the join side, the action's call site as the run
recorded it), runs `prometheus fix --apply --format json` on a fresh copy of
that repository's files, and holds the result to the hand annotation: the
hint on the annotated side of the annotated join, or a refusal with a reason.
The same for settings fixes (a runtime and a startup `conf` per job), and
once more with all of a job's fixes in one run. Every changed file must
parse (CPython ast.parse; notebook cells with their magics masked), keep
every comment, and a second run must change nothing.

    python3 tools/titan_corpus.py build/prometheus [--corpus DIR] [--out DIR]

Exit: 0 no wrong place and no broken file (the shares are printed, not
judged), 1 otherwise, 77 when the corpus is not materialised (CI has no
GitHub access): ctest counts that as skipped.
"""

import argparse
import ast
import collections
import difflib
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (tools/corpus.py)

SKIP = 77
RUN_ROOT = "/home/u/proj"          # where the scripts ran (their cwd)
WORKSPACE = "/Repos/u"             # where Databricks notebooks lived
IPYKERNEL_PID = 4242
RUNTIME_CONF = ("spark.sql.shuffle.partitions", "96", "runtime")
STARTUP_CONF = ("spark.executor.memory", "6g", "startup")
SEPARATOR = "# COMMAND ----------"


# --- How a real run names places -------------------------------------------

def murmur2(data: bytes, seed: int) -> int:
    """MurmurHash2 (32-bit, x86), the hash ipykernel names cell files by."""
    m, mask = 0x5BD1E995, 0xFFFFFFFF
    h = (seed ^ len(data)) & mask
    whole = len(data) & ~3
    for i in range(0, whole, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * m) & mask
        k ^= k >> 24
        k = (k * m) & mask
        h = ((h * m) & mask) ^ k
    tail = data[whole:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * m) & mask
    h ^= h >> 13
    h = (h * m) & mask
    h ^= h >> 15
    return h


def cell_source(cell):
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def ipykernel_file(source: str) -> str:
    """The file name ipykernel gives a cell: its call sites name it."""
    name = murmur2(source.encode("utf-8"), 0xC70F6907)
    return f"/tmp/ipykernel_{IPYKERNEL_PID}/{name}.py"


def databricks_cells(text):
    """(first content line, last content line) of each cell of a Databricks
    notebook source, 1-based; a `# DBTITLE` line is the command's title,
    not its code."""
    lines = text.split("\n")
    cells, start = [], 1
    bounds = [i for i, l in enumerate(lines) if l.rstrip() == SEPARATOR]
    for end in bounds + [len(lines)]:
        body = [i for i in range(start, end) if lines[i].strip()]
        while body and lines[body[0]].startswith("# DBTITLE"):
            body.pop(0)
        if body:
            cells.append((body[0] + 1, body[-1] + 1))
        start = end + 1
    return cells


def command_id(path, first_line):
    digest = hashlib.sha256(f"{path}:{first_line}".encode()).hexdigest()
    return str(10**15 + int(digest[:12], 16) % (9 * 10**15))


def is_databricks(text):
    return text.split("\n", 1)[0].rstrip("\r") == "# Databricks notebook source"


class Job:
    """One corpus file that runs as a job: how its run names places."""

    def __init__(self, repo_dir, entry):
        self.entry = entry
        self.path = entry["path"]
        self.file = repo_dir / self.path
        self.text = self.file.read_text(encoding="utf-8")
        self.kind = ("ipynb" if self.path.endswith(".ipynb") else
                     "databricks" if is_databricks(self.text) else "script")
        self.cells = (json.loads(self.text)["cells"]
                      if self.kind == "ipynb" else None)

    def call_site(self, line, cell=None):
        """{"file", "line"} as the log records the action at `line`."""
        if self.kind == "ipynb":
            return {"file": ipykernel_file(cell_source(self.cells[cell])),
                    "line": line}
        if self.kind == "databricks":
            for first, last in databricks_cells(self.text):
                if first <= line <= last:
                    return {"file": f"command-{command_id(self.path, first)}",
                            "line": line - first + 1}
            raise ValueError(f"{self.path}:{line} is in no cell")
        return {"file": f"{RUN_ROOT}/{self.path}", "line": line}

    def entry_point(self):
        """The job's entry as the log's properties give it: the script of
        sun.java.command, spark.databricks.notebook.path; none for Jupyter."""
        if self.kind == "script":
            return f"{RUN_ROOT}/{self.path}"
        if self.kind == "databricks":
            repo = self.entry["repo"].split("/")[1]
            return f"{WORKSPACE}/{repo}/{self.path[:-3]}"
        return None


# --- Recommendations ---------------------------------------------------------

def rec_id(*parts):
    return hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()


def scope(job, app, sites):
    out = {"app_id": app, "app_attempt_id": None, "run_id": None,
           "job_id": None, "spark_job_ids": [1], "stage_ids": [1, 2],
           "sql_execution_id": 1, "plan_node": "SortMergeJoin"}
    if job.entry_point():
        out["entry_point"] = job.entry_point()
    if sites:
        out["call_sites"] = sites
    return out


def broadcast_rec(job, join, app):
    site = job.call_site(join["action"], join.get("cell"))
    fix = {"kind": "broadcast_hint", "table": join.get("table"),
           "path": join.get("path"), "join_keys": join.get("keys", []),
           "side": join["side"], "call_site": site}
    if join.get("join_type"):
        fix["join_type"] = join["join_type"]
    return {"id": rec_id(job.entry["repo"], job.path, "join",
                         join.get("cell"), join["line"], join["side"],
                         join.get("expr"), join.get("sql")),
            "rule": "missed_broadcast", "severity": "high",
            "scope": scope(job, app, [site]),
            "message": f"SortMergeJoin shuffles both sides to join a small "
                       f"{join['side']} side",
            "evidence": {"small_side_bytes": 3250585,
                         "large_side_bytes": 51754337894,
                         "threshold_bytes": 10485760},
            "fix": fix}


def conf_rec(job, conf, app, sites):
    key, value, applies = conf
    s = scope(job, app, sites)
    s["plan_node"] = None
    return {"id": rec_id(job.entry["repo"], job.path, "conf", key),
            "rule": "shuffle_partitions" if applies == "runtime"
                    else "executor_memory",
            "severity": "medium", "scope": s,
            "message": f"set {key} to {value}",
            "fix": {"kind": "conf", "key": key, "value": value,
                    "applies": applies}}


# --- Checking a result --------------------------------------------------------

def strip_magics(source):
    """A notebook cell as CPython sees it once IPython has run its magics:
    None for a cell magic (%%sql...), else line magics and shell lines
    masked as `pass` lines."""
    if source.lstrip().startswith("%%"):
        return None
    lines = []
    for line in source.split("\n"):
        body = line.lstrip()
        if body.startswith(("%", "!")):
            line = line[:len(line) - len(body)] + "pass"
        lines.append(line)
    return "\n".join(lines)


def code_units(path, text):
    """{unit key: Python source} of a file: the file itself, or each code
    cell of a notebook (magics masked)."""
    if path.endswith(".ipynb"):
        try:
            cells = json.loads(text)["cells"]
        except (ValueError, KeyError):
            return None
        return {i: strip_magics(cell_source(c)) for i, c in enumerate(cells)
                if c.get("cell_type") == "code"}
    return {None: text}


def parses(source):
    try:
        ast.parse(source)
        return True
    except (SyntaxError, ValueError):
        return False


def comments(source):
    try:
        return collections.Counter(
            t.string for t in tokenize.generate_tokens(
                io.StringIO(source).readline) if t.type == tokenize.COMMENT)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None


def unit_lines(path, text):
    """Lines keyed by (unit, 1-based line): notebook cells or the file."""
    units = ({i: cell_source(c) for i, c in enumerate(json.loads(text)["cells"])}
             if path.endswith(".ipynb") else {None: text})
    return {u: s.split("\n") for u, s in units.items()}


IMPORT = re.compile(r"^\s*(from\s+[\w.]+\s+import\b|import\s)")


def changes(path, before, after):
    """[(unit, old first line, old last line, new text)] of the edits."""
    old, new = unit_lines(path, before), unit_lines(path, after)
    out = []
    for unit in sorted(set(old) | set(new), key=str):
        a, b = old.get(unit, []), new.get(unit, [])
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                out.append((unit, i1 + 1, max(i1 + 1, i2),
                            "\n".join(b[j1:j2]), "\n".join(a[i1:i2])))
    return out


def hint_pattern(join):
    if join.get("sql"):
        names = "|".join(re.escape(n) for n in join["sql"])
        return re.compile(
            r"/\*\+[^*]*BROADCAST(JOIN)?\s*\(([^)]*,\s*)?\s*(" + names +
            r")\s*(,[^)]*)?\)", re.I)
    expr = re.sub(r"\s+", "", join["expr"])
    return re.compile(r"broadcast\(" + re.escape(expr) + r"\)")


def placement(join, path, changed):
    """"right", or why the edit is wrong, for a join's broadcast fix."""
    if set(changed) - {path}:
        return f"changed {sorted(set(changed) - {path})}, not {path}"
    if path not in changed:
        return "nothing changed"
    before, after = changed[path]
    unit = join.get("cell")
    first = join["line"]
    last = join.get("end", join["action"] if join.get("sql") else first)
    last = max(last, first)
    pattern = hint_pattern(join)
    found, stray = False, []
    for u, lo, hi, new_text, old_text in changes(path, before, after):
        squeezed = (new_text if join.get("sql")
                    else re.sub(r"\s+", "", new_text))
        inside = u == unit and lo <= last and hi >= first
        if inside and pattern.search(squeezed):
            found = True
        elif all(IMPORT.match(l) or l.strip() == SEPARATOR
                 for l in new_text.split("\n") if l.strip()) \
                and all(IMPORT.match(l) for l in old_text.split("\n")
                        if l.strip()):
            continue  # an import gaining broadcast (in a Databricks
            # export, a cell of its own after the header)
        else:
            where = f"cell {u} " if u is not None else ""
            what = "not its small side" if inside else "outside the join"
            stray.append(f"{where}line {lo} ({what}): "
                         f"{new_text.strip()[:80]!r}")
    if stray:
        return "wrong edit: " + "; ".join(stray)
    return "right" if found else "the join's lines gained no hint on its small side"


class Run:
    """A fresh copy of one repository's corpus files, fixed twice."""

    def __init__(self, binary, repo_dir, recs, work):
        self.copy = Path(tempfile.mkdtemp(dir=work))
        shutil.copytree(repo_dir, self.copy, dirs_exist_ok=True)
        self.originals = {p.relative_to(self.copy).as_posix(): p.read_text(
            encoding="utf-8") for p in self.copy.rglob("*") if p.is_file()}
        recs_file = self.copy.parent / (self.copy.name + ".json")
        recs_file.write_text(json.dumps({"recommendations": recs}, indent=1))
        command = [str(binary), "fix", "--recommendations", str(recs_file),
                   "--repo", str(self.copy), "--apply", "--format", "json",
                   "--color", "never"]
        self.first = self.invoke(command)
        self.after = self.snapshot()
        self.second = self.invoke(command)
        self.rerun_changed = sorted(
            p for p, t in self.snapshot().items() if self.after.get(p) != t)
        self.changed = {p: (self.originals[p], t)
                        for p, t in self.after.items()
                        if self.originals.get(p) != t}
        shutil.rmtree(self.copy)
        recs_file.unlink()

    @staticmethod
    def invoke(command):
        done = subprocess.run(command, capture_output=True, text=True)
        try:
            result = json.loads(done.stdout)
        except ValueError:
            result = {"fixes": [], "error": done.stderr.strip()[:500]}
        result["exit"] = done.returncode
        return result

    def snapshot(self):
        return {p.relative_to(self.copy).as_posix(): p.read_text(
            encoding="utf-8") for p in self.copy.rglob("*") if p.is_file()}

    def outcome(self, rid):
        for fix in self.first.get("fixes", []):
            if rid == fix.get("id") or rid in (fix.get("ids") or []):
                return fix
        return {"status": "missing", "note": self.first.get("error", "")}

    def broken(self):
        """Why each changed file is broken: does not parse, lost comments,
        or a second run changed it again."""
        problems = []
        for path, (before, after) in self.changed.items():
            old_units, new_units = code_units(path, before), code_units(path,
                                                                        after)
            if new_units is None:
                problems.append(f"{path}: the notebook JSON no longer parses")
                continue
            for unit, source in new_units.items():
                if source is None or source == (old_units or {}).get(unit):
                    continue
                where = path if unit is None else f"{path} cell {unit}"
                if not parses(source):
                    problems.append(f"{where}: ast.parse fails")
                old = comments((old_units or {}).get(unit) or "")
                new = comments(source)
                if old is not None and new is not None and old - new:
                    problems.append(f"{where}: comments lost: "
                                    f"{list((old - new).elements())[:3]}")
            if is_databricks(before):
                problems += [f"{path}: {why}"
                             for why in databricks_damage(after)]
        for path in self.rerun_changed:
            problems.append(f"{path}: a second run changed it again")
        return problems


def databricks_damage(text):
    """Why a Databricks notebook source is no longer one Databricks imports
    as it was: the header is not the first line, or a magic cell (%run,
    %pip, %sql...) gained Python lines."""
    if not is_databricks(text):
        return ["the '# Databricks notebook source' header is not line 1"]
    damage = []
    for cell in text.split("\n" + SEPARATOR)[1:] + [
            text.split("\n" + SEPARATOR)[0].split("\n", 1)[-1]]:
        lines = [l for l in cell.split("\n") if l.strip()]
        magic = [l for l in lines if l.startswith("# MAGIC")]
        if magic and len(magic) != len(lines) and not all(
                l.startswith("#") for l in lines):
            damage.append(f"a magic cell gained Python: {lines[0][:60]!r}")
    return damage


# --- The measurement -----------------------------------------------------------

def measure(binary, manifest, corpus_dir, work):
    results = {"joins": [], "settings": [], "combined": []}
    repos = collections.OrderedDict()
    for entry in manifest["files"]:
        repos.setdefault(entry["repo"], []).append(entry)
    app = 0
    for repo, entries in repos.items():
        repo_dir = corpus_dir / corpus.repo_folder(repo)
        for entry in entries:
            if entry.get("support"):
                continue
            job = Job(repo_dir, entry)
            app += 1
            app_id = f"app-corpus-{app:03d}"
            all_recs = []
            for join in entry["joins"]:
                rec = broadcast_rec(job, join, app_id)
                all_recs.append(rec)
                run = Run(binary, repo_dir, [rec], work)
                fix = run.outcome(rec["id"])
                status = fix.get("status")
                if join["expect"] == "refuse":
                    verdict, detail = "refused", fix.get("note", "")
                    if status == "applied":
                        where = placement(join, entry["path"], run.changed)
                        verdict = ("right" if where == "right" and
                                   join.get("accept_hint") else "wrong")
                        if verdict == "wrong":
                            detail = (f"applied where refusing is right "
                                      f"({join.get('why', '')}): {where}")
                elif status == "applied":
                    where = placement(join, entry["path"], run.changed)
                    verdict = "right" if where == "right" else "wrong"
                    detail = where if where != "right" else fix.get("note", "")
                elif status == "present":
                    verdict, detail = "wrong", (
                        "said present, but the side is not broadcast: "
                        + fix.get("note", ""))
                else:
                    verdict, detail = "refused", fix.get("note", "")
                results["joins"].append({
                    "repo": repo, "file": entry["path"], "kind": job.kind,
                    "named": bool(join.get("table") or join.get("path")),
                    "cell": join.get("cell"), "line": join["line"],
                    "expect": join["expect"], "side": join["side"],
                    "small": join.get("expr") or join.get("sql"),
                    "status": status, "verdict": verdict,
                    "reason_given": bool(detail.strip()), "detail": detail,
                    "broken": run.broken(), "call_site": rec["fix"]["call_site"]})
            settings = entry.get("settings")
            if settings:
                sites = [job.call_site(j["action"], j.get("cell"))
                         for j in entry["joins"][:1]]
                if not sites and "action" in settings:
                    sites = [job.call_site(settings["action"],
                                           settings.get("cell"))]
                recs = [conf_rec(job, c, app_id, sites)
                        for c in (RUNTIME_CONF, STARTUP_CONF)]
                all_recs.extend(recs)
                run = Run(binary, repo_dir, recs, work)
                for conf, rec in zip((RUNTIME_CONF, STARTUP_CONF), recs):
                    results["settings"].append(settings_verdict(
                        repo, entry, settings, conf, run.outcome(rec["id"]),
                        run) | {"broken": run.broken()})
            if len(all_recs) > 1:
                run = Run(binary, repo_dir, all_recs, work)
                statuses = collections.Counter(
                    run.outcome(r["id"]).get("status") for r in all_recs)
                results["combined"].append({
                    "repo": repo, "file": entry["path"],
                    "statuses": dict(statuses), "broken": run.broken()})
    return results


def settings_verdict(repo, entry, settings, conf, fix, run):
    key, value, applies = conf
    status = fix.get("status")
    anchor = settings["anchor"]
    base = {"repo": repo, "file": entry["path"], "anchor": anchor,
            "key": key, "applies": applies, "status": status,
            "detail": fix.get("note", "")}
    want = ("refuse" if settings.get("expect") == "refuse" else
            "describe" if applies == "startup" and
            settings["startup"] == "describe" else "apply")
    base["expect"] = want
    edited = sorted(run.changed)
    if status == "applied":
        if want != "apply":
            return base | {"verdict": "wrong",
                           "detail": f"applied in {edited}; expected {want}"}
        if edited != [anchor]:
            return base | {"verdict": "wrong",
                           "detail": f"changed {edited}, not {anchor}"}
        _, after = run.changed[anchor]
        if key not in after or value not in after:
            return base | {"verdict": "wrong",
                           "detail": f"{anchor} does not set {key}={value}"}
        return base | {"verdict": "right"}
    if status == "described" and want == "describe":
        return base | {"verdict": "right"}
    if status == "present":
        return base | {"verdict": "wrong",
                       "detail": "said present: " + fix.get("note", "")}
    if want == "refuse":
        return base | {"verdict": "refused-right"}
    return base | {"verdict": "refused"}


def share(part, whole):
    return f"{part}/{whole} ({100.0 * part / whole:.0f}%)" if whole else "0/0"


def summarise(results, manifest):
    joins = results["joins"]
    hint = [j for j in joins if j["expect"] == "hint"]
    refuse = [j for j in joins if j["expect"] == "refuse"]
    settings = results["settings"]
    applied_want = [s for s in settings if s["expect"] != "refuse"]
    broken = sorted({p for group in results.values() for r in group
                     for p in r["broken"]})
    wrong = [j for j in joins if j["verdict"] == "wrong"] + \
            [s for s in settings if s["verdict"] == "wrong"]
    files = [f for f in manifest["files"]]
    return {
        "corpus": {"files": len(files), "repositories": len(manifest["repos"]),
                   "jobs": sum(1 for f in files if not f.get("support")),
                   "joins": len(joins)},
        "broadcast": {
            "hint_expected": len(hint),
            "hinted_right": sum(j["verdict"] == "right" for j in hint),
            "refused": sum(j["verdict"] == "refused" for j in hint),
            "refused_with_reason": sum(j["verdict"] == "refused" and
                                       j["reason_given"] for j in hint),
            "wrong": sum(j["verdict"] == "wrong" for j in joins),
            "refuse_expected": len(refuse),
            "refused_right": sum(j["verdict"] in ("refused", "right")
                                 for j in refuse)},
        "settings": {
            "fixes": len(settings),
            "right": sum(s["verdict"] == "right" for s in applied_want),
            "expected_placed": len(applied_want),
            "runtime_right": sum(s["verdict"] == "right" for s in applied_want
                                 if s["applies"] == "runtime"),
            "runtime": sum(s["applies"] == "runtime" for s in applied_want),
            "startup_right": sum(s["verdict"] == "right" for s in applied_want
                                 if s["applies"] == "startup"),
            "startup": sum(s["applies"] == "startup" for s in applied_want),
            "applied_right": sum(s["verdict"] == "right" for s in settings
                                 if s["expect"] == "apply"),
            "apply": sum(s["expect"] == "apply" for s in settings),
            "described_right": sum(s["verdict"] == "right" for s in settings
                                   if s["expect"] == "describe"),
            "describe": sum(s["expect"] == "describe" for s in settings),
            "wrong": sum(s["verdict"] == "wrong" for s in settings)},
        "hinted_right_by": {
            f"{group}={value}": share(
                sum(j["verdict"] == "right" for j in hint
                    if j[group] == value),
                sum(1 for j in hint if j[group] == value))
            for group, values in (("kind", ("script", "databricks", "ipynb")),
                                  ("named", (True, False)))
            for value in values},
        "wrong": [f"{w['repo']}/{w['file']}:{w.get('line', '')}: {w['detail']}"
                  for w in wrong],
        "broken": broken,
    }


def markdown(summary, results):
    b, s = summary["broadcast"], summary["settings"]
    out = ["# The Titan on real public code", "",
           f"{summary['corpus']['files']} files from "
           f"{summary['corpus']['repositories']} repositories, "
           f"{summary['corpus']['jobs']} jobs, {summary['corpus']['joins']} "
           "annotated joins.", "",
           "| measure | value |", "|---|---|",
           f"| broadcast hints at the right place | "
           f"{share(b['hinted_right'], b['hint_expected'])} |",
           f"| broadcast refused (hint expected) | "
           f"{share(b['refused'], b['hint_expected'])}, "
           f"{b['refused_with_reason']} with a reason |",
           f"| refusals where refusing is right | "
           f"{share(b['refused_right'], b['refuse_expected'])} |",
           f"| settings fixes right | {share(s['right'], s['expected_placed'])}"
           f" (runtime {share(s['runtime_right'], s['runtime'])}, startup "
           f"{share(s['startup_right'], s['startup'])}; applied where they "
           f"belong {share(s['applied_right'], s['apply'])}, described "
           f"{share(s['described_right'], s['describe'])}) |",
           f"| wrong places | {len(summary['wrong'])} |",
           "| hinted right, by format and by whether the log names the "
           "small side | " + ", ".join(
               f"{k}: {v}" for k, v in summary["hinted_right_by"].items())
           + " |",
           f"| broken files (parse, comments, idempotence) | "
           f"{len(summary['broken'])} |", "", "## Joins", "",
           "| file | line | small side | verdict | status | detail |",
           "|---|---|---|---|---|---|"]
    for j in results["joins"]:
        line = (f"{j['line']}" if j["cell"] is None
                else f"cell {j['cell']}:{j['line']}")
        detail = j["detail"].replace("|", "\\|").replace("\n", " ")[:160]
        out.append(f"| {j['repo']}/{j['file']} | {line} | {j['side']} "
                   f"{j['small']} | {j['verdict']} | {j['status']} | "
                   f"{detail} |")
    out += ["", "## Settings", "", "| file | anchor | key | expect | verdict |"
            " detail |", "|---|---|---|---|---|---|"]
    for x in results["settings"]:
        detail = x["detail"].replace("|", "\\|").replace("\n", " ")[:160]
        out.append(f"| {x['repo']}/{x['file']} | {x['anchor']} | {x['key']} |"
                   f" {x['expect']} | {x['verdict']} | {detail} |")
    for title, items in (("Wrong places", summary["wrong"]),
                         ("Broken files", summary["broken"])):
        out += ["", f"## {title}", ""] + [f"- {i}" for i in items or
                                          ["none"]]
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary", type=Path)
    parser.add_argument("--manifest", type=Path, default=corpus.MANIFEST)
    parser.add_argument("--corpus", type=Path, default=corpus.DEFAULT_INTO)
    parser.add_argument("--out", type=Path,
                        default=corpus.ROOT / ".cache" / "titan-corpus")
    args = parser.parse_args()
    manifest = corpus.load_manifest(args.manifest)
    problems = corpus.check(manifest, args.corpus)
    if problems:
        print(f"SKIPPED: the corpus of real code is not materialised in "
              f"{args.corpus} ({problems[0]}; {len(problems)} problem(s)). "
              "Run `python3 tools/corpus.py materialise` (needs the local "
              "mirrors or GitHub access).")
        return SKIP
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        results = measure(args.binary, manifest, args.corpus, Path(work))
    summary = summarise(results, manifest)
    (args.out / "report.json").write_text(
        json.dumps({"summary": summary, **results}, indent=1))
    (args.out / "report.md").write_text(markdown(summary, results))
    b, s = summary["broadcast"], summary["settings"]
    print(f"corpus: {summary['corpus']['files']} files, "
          f"{summary['corpus']['repositories']} repositories, "
          f"{summary['corpus']['joins']} joins")
    print(f"broadcast: right {share(b['hinted_right'], b['hint_expected'])}, "
          f"refused {share(b['refused'], b['hint_expected'])} "
          f"({b['refused_with_reason']} with a reason), refusals right "
          f"{share(b['refused_right'], b['refuse_expected'])}, wrong "
          f"{b['wrong']}")
    print(f"settings: right {share(s['right'], s['expected_placed'])} "
          f"(runtime {share(s['runtime_right'], s['runtime'])}, startup "
          f"{share(s['startup_right'], s['startup'])}; applied where they "
          f"belong {share(s['applied_right'], s['apply'])}, described "
          f"{share(s['described_right'], s['describe'])}), wrong {s['wrong']}")
    print(f"broken files: {len(summary['broken'])}")
    for item in summary["wrong"]:
        print(f"WRONG {item}")
    for item in summary["broken"]:
        print(f"BROKEN {item}")
    print(f"report: {args.out / 'report.md'}")
    return 1 if summary["wrong"] or summary["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
