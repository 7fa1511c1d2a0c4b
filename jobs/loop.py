"""The nightly job's second task: propose fixes and verify merged ones, on
the driver, from the lake the first task wrote.

    loop.py --store LAKE --git-url URL [--branch main] [--push]

Clones the jobs' repository (a token from $GITHUB_TOKEN, $GITLAB_TOKEN or
$AZURE_DEVOPS_TOKEN, set from a secret scope in the job's spark_env_vars,
goes in no URL and no output), then runs `prometheus propose` and
`prometheus verify` (python -m prometheus: the wheel's own binary code).
Exits with the worse of their exit codes."""
import argparse
import subprocess
import sys
import tempfile


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="the lake the observe task wrote")
    parser.add_argument("--git-url", required=True, help="HTTPS URL of the jobs' repository")
    parser.add_argument("--branch", default="main", help="its default branch")
    parser.add_argument("--push", action="store_true",
                        help="push branches, open pull requests, comment")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="prometheus-repo-") as repo:
        # The token reaches git through a credential helper reading the
        # environment, so it is in no URL, argument or remote config.
        helper = ("credential.helper=!f() { echo username=x-access-token; "
                  'echo "password=${GITHUB_TOKEN:-${GH_TOKEN:-${GITLAB_TOKEN:-$AZURE_DEVOPS_TOKEN}}}"; }; f')
        subprocess.run(["git", "-c", helper, "clone", "--quiet", "--branch", args.branch,
                        args.git_url, repo], check=True)
        push = ["--push"] if args.push else []
        codes = []
        for command in (["propose", "--store", args.store, "--repo", repo, *push],
                        ["verify", "--store", args.store, "--repo", repo, *push]):
            codes.append(subprocess.run([sys.executable, "-m", "prometheus", *command]).returncode)
    return max(codes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
