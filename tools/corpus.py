#!/usr/bin/env python3
"""The corpus of real public PySpark code for the Titan's proof (issue 12).

The files are other people's code: they are never committed. The manifest
(tests/corpus/manifest.json) records each file's repository, commit, path
and SHA-256, with our hand annotations; this script copies the files into
.cache/corpus/<owner>+<name>/<path>, from a local bare mirror
(/work/.mirror/<owner>+<name>/repo, or --mirrors DIR) when one holds the
commit, else by fetching that commit from GitHub (needs network), and checks
every SHA-256.

    python3 tools/corpus.py materialise [--mirrors DIR] [--into DIR]
    python3 tools/corpus.py pin          # fill in sha256 from the mirrors
    python3 tools/corpus.py check        # is the corpus there and intact?
"""

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "tests" / "corpus" / "manifest.json"
DEFAULT_INTO = ROOT / ".cache" / "corpus"
DEFAULT_MIRRORS = Path("/work/.mirror")


def load_manifest(path=MANIFEST):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def repo_folder(repo):
    """owner/name -> owner+name, the folder the repository's files go in."""
    return repo.replace("/", "+")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def mirror_blob(mirrors, repo, commit, path):
    """The file's bytes at `commit` from a local bare mirror, or None."""
    git_dir = mirrors / repo_folder(repo) / "repo"
    if not git_dir.is_dir():
        return None
    shown = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
        capture_output=True)
    return shown.stdout if shown.returncode == 0 else None


def clone_blobs(repo, commit, paths):
    """The files at `commit`, fetched from GitHub (a shallow fetch of that
    one commit). Returns {path: bytes}; raises with git's message."""
    with tempfile.TemporaryDirectory() as tmp:
        def git(*args):
            done = subprocess.run(["git", "-C", tmp, *args],
                                  capture_output=True)
            if done.returncode != 0:
                raise RuntimeError(
                    f"git {' '.join(args)}: {done.stderr.decode().strip()}")
            return done.stdout
        git("init", "-q")
        git("fetch", "-q", "--depth", "1",
            f"https://github.com/{repo}.git", commit)
        return {p: git("show", f"{commit}:{p}") for p in paths}


def materialise(manifest, mirrors, into):
    """Copies every file; returns the list of problems (empty when all
    files are there with their recorded SHA-256)."""
    problems = []
    by_repo = {}
    for entry in manifest["files"]:
        by_repo.setdefault(entry["repo"], []).append(entry)
    for repo, entries in by_repo.items():
        commit = manifest["repos"][repo]["commit"]
        blobs = {e["path"]: mirror_blob(mirrors, repo, commit, e["path"])
                 for e in entries}
        missing = [p for p, b in blobs.items() if b is None]
        if missing:
            try:
                blobs.update(clone_blobs(repo, commit, missing))
            except (RuntimeError, OSError) as error:
                problems.append(f"{repo}@{commit}: no mirror and no clone "
                                f"({error})")
                continue
        for entry in entries:
            data = blobs[entry["path"]]
            want = entry.get("sha256")
            if want and sha256(data) != want:
                problems.append(f"{repo}/{entry['path']}: SHA-256 "
                                f"{sha256(data)}, the manifest says {want}")
                continue
            target = into / repo_folder(repo) / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return problems


def check(manifest, into):
    """Problems with the materialised corpus: files absent or changed."""
    problems = []
    for entry in manifest["files"]:
        target = into / repo_folder(entry["repo"]) / entry["path"]
        if not target.is_file():
            problems.append(f"missing {target}")
        elif sha256(target.read_bytes()) != entry.get("sha256"):
            problems.append(f"changed {target}")
    return problems


def pin(manifest_path, mirrors):
    """Records each file's SHA-256 from the mirrors and rewrites the
    manifest in its one-record-a-line layout."""
    manifest = load_manifest(manifest_path)
    for entry in manifest["files"]:
        commit = manifest["repos"][entry["repo"]]["commit"]
        data = mirror_blob(mirrors, entry["repo"], commit, entry["path"])
        if data is None:
            sys.exit(f"no mirror holds {entry['repo']}@{commit}:"
                     f"{entry['path']}")
        entry["sha256"] = sha256(data)
    manifest_path.write_text(dump_manifest(manifest), encoding="utf-8")


def dump_manifest(manifest):
    """One line per join and per settings record, so hand edits stay easy
    and diffs stay small."""
    lines = ["{"]
    head = [(k, v) for k, v in manifest.items() if k != "files"]
    for key, value in head:
        if isinstance(value, dict):
            lines.append(f" {json.dumps(key)}: {{")
            items = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                     for k, v in value.items()]
            lines.append(",\n".join(items))
            lines.append(" },")
        else:
            lines.append(f" {json.dumps(key)}: "
                         f"{json.dumps(value, ensure_ascii=False)},")
    lines.append(' "files": [')
    files = []
    for entry in manifest["files"]:
        parts = [f"  {{\"repo\": {json.dumps(entry['repo'])}, "
                 f"\"path\": {json.dumps(entry['path'])}, "
                 f"\"sha256\": {json.dumps(entry.get('sha256'))},"]
        for key, value in entry.items():
            if key in ("repo", "path", "sha256", "joins"):
                continue
            parts.append(f"   {json.dumps(key)}: "
                         f"{json.dumps(value, ensure_ascii=False)},")
        joins = entry.get("joins", [])
        if joins:
            parts.append('   "joins": [')
            parts.append(",\n".join(
                "    " + json.dumps(j, ensure_ascii=False) for j in joins))
            parts.append("   ]}")
        else:
            parts.append('   "joins": []}')
        files.append("\n".join(parts))
    lines.append(",\n".join(files))
    lines.append(" ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["materialise", "pin", "check"])
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    parser.add_argument("--into", type=Path, default=DEFAULT_INTO)
    args = parser.parse_args()
    if args.command == "pin":
        pin(args.manifest, args.mirrors)
        return 0
    manifest = load_manifest(args.manifest)
    if args.command == "materialise":
        problems = materialise(manifest, args.mirrors, args.into)
    else:
        problems = check(manifest, args.into)
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(manifest["files"])
    if problems:
        print(f"corpus: {len(problems)} problem(s) among {count} files",
              file=sys.stderr)
        return 1
    print(f"corpus: {count} files from {len(manifest['repos'])} repositories "
          f"in {args.into}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
