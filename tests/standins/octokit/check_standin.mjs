// Checks tests/standins/github_forge.py with GitHub's official JavaScript
// client, Octokit (@octokit/rest, and @octokit/plugin-throttling for the
// rate limits): what it sends the stand-in must answer as GitHub does.
// Usage: node check_standin.mjs (from any folder); exits 0 when all pass.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { Octokit } from "@octokit/rest";
import { throttling } from "@octokit/plugin-throttling";

const here = dirname(fileURLToPath(import.meta.url));
const token = "ghs_octokitCheckToken";
const failures = [];
const check = (ok, what) => { if (!ok) { failures.push(what); console.log("FAIL:", what); } };

const root = mkdtempSync(join(tmpdir(), "octokit-standin-"));
const server = spawn("python3", [join(here, "..", "github_forge.py"), "--root", root, "--token", token,
                                 "--repo", "acme/etl", "--page-size", "2"]);
const url = await new Promise((resolve) => createInterface({ input: server.stdout }).once("line", resolve));

try {
  // A repository with main and a branch one commit ahead.
  const work = join(root, "work");
  const git = (...args) => execFileSync("git", args, { cwd: work, env: { ...process.env,
    GIT_AUTHOR_NAME: "A", GIT_AUTHOR_EMAIL: "a@x", GIT_COMMITTER_NAME: "A", GIT_COMMITTER_EMAIL: "a@x" } });
  execFileSync("git", ["init", "-q", "-b", "main", work]);
  writeFileSync(join(work, "job.py"), "x = 1\n");
  git("add", "."); git("commit", "-q", "-m", "init");
  git("remote", "add", "origin", join(root, "acme", "etl.git"));
  git("push", "-q", "origin", "main");
  for (const n of [1, 2, 3]) {
    git("checkout", "-q", "-b", `feature/${n}`, "main");
    writeFileSync(join(work, `f${n}.py`), `y = ${n}\n`);
    git("add", "."); git("commit", "-q", "-m", `f${n}`);
    git("push", "-q", "origin", `feature/${n}`);
  }

  const Throttled = Octokit.plugin(throttling);
  const limited = [];
  const octokit = new Throttled({
    auth: token, baseUrl: url, userAgent: "octokit-check",
    throttle: {
      onRateLimit: (after, options) => { limited.push(["primary", after]); return true; },
      onSecondaryRateLimit: (after, options) => { limited.push(["secondary", after]); return true; },
    },
  });
  const repo = { owner: "acme", repo: "etl" };

  const { data: info } = await octokit.rest.repos.get(repo);
  check(info.default_branch === "main", `default_branch ${info.default_branch}`);
  const { data: ref } = await octokit.rest.git.getRef({ ...repo, ref: "heads/main" });
  check(ref.object.sha === execFileSync("git", ["-C", join(root, "acme", "etl.git"), "rev-parse", "main"])
    .toString().trim(), "refs/heads/main is the bare repository's");

  for (const n of [1, 2, 3]) {
    const { status, data } = await octokit.rest.pulls.create({ ...repo, head: `feature/${n}`, base: "main",
                                                               title: `PR ${n}`, body: "b" });
    check(status === 201 && data.number === n && data.head.ref === `feature/${n}`, `create ${n}`);
  }
  try {
    await octokit.rest.pulls.create({ ...repo, head: "feature/1", base: "main", title: "again" });
    check(false, "a duplicate pull request was accepted");
  } catch (error) {
    check(error.status === 422 && /already exists/.test(JSON.stringify(error.response.data)),
          `duplicate: ${error.status} ${JSON.stringify(error.response?.data)}`);
  }
  // Three pull requests on pages of two: paginate follows Link.
  const all = await octokit.paginate(octokit.rest.pulls.list, { ...repo, state: "all", per_page: 2 });
  check(all.length === 3, `paginate found ${all.length}`);
  const open1 = await octokit.rest.pulls.list({ ...repo, head: "acme:feature/1", state: "open" });
  check(open1.data.length === 1 && open1.data[0].number === 1, "list by head");
  check(Number(open1.headers["x-ratelimit-limit"]) === 5000 && open1.headers["x-ratelimit-remaining"] !== undefined,
        "x-ratelimit headers");

  await octokit.rest.pulls.update({ ...repo, pull_number: 2, body: "new body" });
  check((await octokit.rest.pulls.get({ ...repo, pull_number: 2 })).data.body === "new body", "update");
  await octokit.rest.issues.addLabels({ ...repo, issue_number: 1, labels: ["prometheus", "high"] });
  const { data: comment } = await octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: "hello" });
  check(comment.body === "hello", "comment");
  const { data: comments } = await octokit.rest.issues.listComments({ ...repo, issue_number: 1 });
  check(comments.length === 1, "list comments");
  const { data: review } = await octokit.rest.pulls.createReview({ ...repo, pull_number: 1, event: "APPROVE" });
  check(review.state === "APPROVED", "review");
  const { data: commits } = await octokit.rest.pulls.listCommits({ ...repo, pull_number: 1 });
  check(commits.length === 1 && commits[0].commit.message === "f1", "pull request commits from git");

  // Rate limits: both kinds are recognised by Octokit's throttling plugin.
  await fetch(`${url}/_standin/faults`, { method: "POST", body: JSON.stringify({ primary: 1 }) });
  await octokit.rest.pulls.get({ ...repo, pull_number: 1 });
  await fetch(`${url}/_standin/faults`, { method: "POST", body: JSON.stringify({ secondary: 1 }) });
  await octokit.rest.issues.createComment({ ...repo, issue_number: 2, body: "after a limit" });
  check(limited.some(([kind]) => kind === "primary"), `primary limit not seen: ${JSON.stringify(limited)}`);
  check(limited.some(([kind]) => kind === "secondary"), `secondary limit not seen: ${JSON.stringify(limited)}`);

  const { data: merged } = await octokit.rest.pulls.merge({ ...repo, pull_number: 1 });
  check(merged.merged === true, "merge");
  const { data: after } = await octokit.rest.pulls.get({ ...repo, pull_number: 1 });
  check(after.merged === true && after.merge_commit_sha === merged.sha && after.state === "closed", "merged state");
  const parents = execFileSync("git", ["-C", join(root, "acme", "etl.git"), "rev-list", "--parents", "-n1", "main"])
    .toString().trim().split(" ");
  check(parents[0] === merged.sha && parents.length === 3, "main is the merge commit with two parents");

  try {
    await new Octokit({ auth: "wrong", baseUrl: url }).rest.repos.get(repo);
    check(false, "a wrong token was accepted");
  } catch (error) {
    check(error.status === 401, `wrong token: ${error.status}`);
  }
} finally {
  server.kill();
  rmSync(root, { recursive: true, force: true });
}
console.log(`octokit against the GitHub stand-in: ${failures.length} failure(s)`);
process.exit(failures.length ? 1 : 0);
