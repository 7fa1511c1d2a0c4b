"""The Databricks job definitions of jobs/ (issue 15), read by the official
databricks-sdk: nightly.json is a Jobs API job whose every field the SDK's
typed JobSettings knows (a field it does not know, or one of the wrong
shape, is lost in the round trip), and the Asset Bundle's job is the same
job, its wheel and files placed by the bundle."""
import json
import os
import re
import subprocess
import sys

import yaml
from databricks.sdk.service import jobs

JOBS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "jobs")


def load_json():
    with open(os.path.join(JOBS, "nightly.json")) as f:
        return json.load(f)


def load_bundle():
    with open(os.path.join(JOBS, "databricks.yml")) as f:
        return yaml.safe_load(f)


def test_the_jobs_api_definition_is_whole_to_the_sdk():
    job = load_json()
    assert jobs.JobSettings.from_dict(job).as_dict() == job
    typo = json.loads(json.dumps(job))
    typo["tasks"][0]["spark_pyhton_task"] = typo["tasks"][0].pop("spark_python_task")
    assert jobs.JobSettings.from_dict(typo).as_dict() != typo


def resolve(value, variables):
    if isinstance(value, dict):
        return {k: resolve(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, variables) for v in value]
    if isinstance(value, str):
        return re.sub(r"\$\{var\.(\w+)\}", lambda m: variables[m.group(1)], value)
    return value


def test_the_bundle_deploys_the_same_job():
    bundle = load_bundle()
    job_json = load_json()
    variables = {name: spec.get("default") for name, spec in bundle["variables"].items()}
    assert variables["git_url"] is None, "the repository has no default: it is the user's"
    variables["git_url"] = "https://github.com/example/data-jobs.git"
    variables["node_type_id"] = job_json["job_clusters"][0]["new_cluster"]["node_type_id"]
    [(_, job)] = bundle["resources"]["jobs"].items()
    job = resolve(job, variables)
    assert jobs.JobSettings.from_dict(job).as_dict() == job
    # The bundle uploads the files and the wheel it builds; the JSON names
    # where they were put by hand. All else is the same.
    files = {"observe": "./observe.py", "propose_and_verify": "./loop.py"}
    for bundled, placed in zip(job["tasks"], job_json["tasks"]):
        assert bundled["spark_python_task"]["python_file"] == files[bundled["task_key"]]
        assert os.path.exists(os.path.join(JOBS, files[bundled["task_key"]]))
        assert bundled["libraries"] == [{"whl": "../build-wheel/wheelhouse/*.whl"}]
        assert os.path.basename(placed["spark_python_task"]["python_file"]) == os.path.basename(
            files[bundled["task_key"]])
        for task in (bundled, placed):
            del task["spark_python_task"]["python_file"], task["libraries"]
    assert job == job_json
    assert bundle["artifacts"]["prometheus_wheel"]["build"] == "make wheel"


def test_the_loop_task_takes_its_arguments():
    done = subprocess.run([sys.executable, os.path.join(JOBS, "loop.py"), "--help"],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "--git-url" in done.stdout
    done = subprocess.run([sys.executable, os.path.join(JOBS, "loop.py"), "--store", "x"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--git-url" in done.stderr
