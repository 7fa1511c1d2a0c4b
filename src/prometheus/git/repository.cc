#include "prometheus/git/repository.h"

#include <git2.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>
#include <mutex>

#include "prometheus/git/known_hosts.h"

namespace prometheus::git {
namespace {

// Owns a libgit2 object and frees it with its own function.
template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* object) const { Free(object); }
};
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Freer<T, Free>>;
using OwnedObject = Owned<git_object, git_object_free>;
using OwnedCommit = Owned<git_commit, git_commit_free>;
using OwnedTree = Owned<git_tree, git_tree_free>;
using OwnedRemote = Owned<git_remote, git_remote_free>;
using OwnedReference = Owned<git_reference, git_reference_free>;
using OwnedRevwalk = Owned<git_revwalk, git_revwalk_free>;
using OwnedSignature = Owned<git_signature, git_signature_free>;
using OwnedIndex = Owned<git_index, git_index_free>;
using OwnedDiff = Owned<git_diff, git_diff_free>;
using OwnedBlob = Owned<git_blob, git_blob_free>;

std::string Hex(const git_oid* oid) { return git_oid_tostr_s(oid); }

// The credentials callback's state: one offer of each kind, then give up
// (libgit2 calls again after a refusal).
struct CredentialState {
  const Credentials* credentials = nullptr;
  int ssh_port = 22;  // of the remote's URL: libgit2 passes the host alone
  bool offered_token = false;
  bool offered_agent = false;
  std::vector<std::string> rejected;  // by a push: "ref (reason)"
};

int AcquireCredential(git_credential** out, const char* /*url*/,
                      const char* username_from_url, unsigned int allowed,
                      void* payload) {
  auto* state = static_cast<CredentialState*>(payload);
  const Credentials& given = *state->credentials;
  if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && !given.token.empty() &&
      !state->offered_token) {
    state->offered_token = true;
    const std::string user = given.username.empty() ? "x-access-token" : given.username;
    return git_credential_userpass_plaintext_new(out, user.c_str(), given.token.c_str());
  }
  if ((allowed & GIT_CREDENTIAL_SSH_KEY) && !state->offered_agent) {
    state->offered_agent = true;
    return git_credential_ssh_key_from_agent(
        out, username_from_url != nullptr ? username_from_url : "git");
  }
  git_error_set_str(GIT_ERROR_NET,
                    "authentication refused (no token, or the token was not accepted)");
  return GIT_EAUTH;
}

// An SSH host key is accepted or refused here (git/known_hosts), with an
// error that says why; TLS certificates keep libgit2's own verification.
int CheckCertificate(git_cert* cert, int /*valid*/, const char* host, void* payload) {
  if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2) return GIT_PASSTHROUGH;
  const auto* state = static_cast<CredentialState*>(payload);
  const auto* hostkey = reinterpret_cast<const git_cert_hostkey*>(cert);
  const std::string name = KnownHostsName(host != nullptr ? host : "", state->ssh_port);
  if ((hostkey->type & GIT_CERT_SSH_RAW) == 0 || hostkey->hostkey == nullptr) {
    git_error_set_str(GIT_ERROR_SSH,
                      fmt::format("the SSH server {} sent no host key to check", name).c_str());
    return GIT_ECERTIFICATE;
  }
  Status known = CheckHostKey(DefaultKnownHostsFiles(), name,
                              std::string_view(hostkey->hostkey, hostkey->hostkey_len));
  if (!known) {
    git_error_set_str(GIT_ERROR_SSH, known.error().message.c_str());
    return GIT_ECERTIFICATE;
  }
  return 0;
}

std::string_view UrlOf(const git_remote* remote, bool push) {
  const char* url = push ? git_remote_pushurl(remote) : nullptr;
  if (url == nullptr) url = git_remote_url(remote);
  return url != nullptr ? url : "";
}

git_strarray Strings(const std::vector<std::string>& values,
                     std::vector<char*>& storage) {
  storage.clear();
  for (const std::string& value : values) storage.push_back(const_cast<char*>(value.c_str()));
  return git_strarray{storage.data(), storage.size()};
}

}  // namespace

void InitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

Error LastError(int code, std::string_view what) {
  const git_error* last = git_error_last();
  std::string detail = last != nullptr && last->message != nullptr ? last->message
                                                                    : fmt::format("libgit2 error {}", code);
  ErrorCode kind = ErrorCode::kIo;
  if (code == GIT_ENOTFOUND) kind = ErrorCode::kNotFound;
  if (code == GIT_ECONFLICT || code == GIT_EMERGECONFLICT || code == GIT_ENONFASTFORWARD ||
      code == GIT_EEXISTS || code == GIT_ELOCKED)
    kind = ErrorCode::kConflict;
  if (code == GIT_EAUTH || code == GIT_ECERTIFICATE) kind = ErrorCode::kInvalidArgument;
  return Error{kind, fmt::format("{}: {}", what, detail)};
}

#define PROM_GIT(call, what)                                       \
  do {                                                             \
    if (int prom_git_rc = (call); prom_git_rc < 0)                 \
      return std::unexpected(LastError(prom_git_rc, (what)));      \
  } while (false)

Result<Repository> Repository::Open(const std::filesystem::path& path) {
  InitOnce();
  git_repository* repo = nullptr;
  PROM_GIT(git_repository_open_ext(&repo, path.c_str(), 0, nullptr),
           fmt::format("{}: not a git repository", path.string()));
  return Repository(repo);
}

Result<Repository> Repository::Init(const std::filesystem::path& path, bool bare) {
  InitOnce();
  git_repository* repo = nullptr;
  PROM_GIT(git_repository_init(&repo, path.c_str(), bare ? 1 : 0),
           fmt::format("{}: cannot create a repository", path.string()));
  return Repository(repo);
}

Repository::Repository(Repository&& other) noexcept : repo_(other.repo_) {
  other.repo_ = nullptr;
}

Repository& Repository::operator=(Repository&& other) noexcept {
  std::swap(repo_, other.repo_);
  return *this;
}

Repository::~Repository() {
  if (repo_ != nullptr) git_repository_free(repo_);
}

std::filesystem::path Repository::path() const {
  const char* workdir = git_repository_workdir(repo_);
  return workdir != nullptr ? workdir : git_repository_path(repo_);
}

Result<std::string> Repository::RemoteUrl(const std::string& remote) const {
  git_remote* raw = nullptr;
  PROM_GIT(git_remote_lookup(&raw, repo_, remote.c_str()), fmt::format("remote {}", remote));
  OwnedRemote owned(raw);
  const char* url = git_remote_url(raw);
  return std::string(url != nullptr ? url : "");
}

Result<std::string> Repository::Fetch(const std::string& remote,
                                      const std::vector<std::string>& refspecs,
                                      const Credentials& credentials) {
  git_remote* raw = nullptr;
  PROM_GIT(git_remote_lookup(&raw, repo_, remote.c_str()), fmt::format("remote {}", remote));
  OwnedRemote owned(raw);
  CredentialState state;
  state.credentials = &credentials;
  state.ssh_port = SshPort(UrlOf(raw, false));
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  callbacks.credentials = AcquireCredential;
  callbacks.certificate_check = CheckCertificate;
  callbacks.payload = &state;
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  options.callbacks = callbacks;
  options.prune = GIT_FETCH_PRUNE;
  std::vector<char*> storage;
  git_strarray specs = Strings(refspecs, storage);
  PROM_GIT(git_remote_fetch(raw, &specs, &options, "prometheus: fetch"),
           fmt::format("fetch from remote {}", remote));
  // What the remote's HEAD advertised stays known after the fetch.
  git_buf head = GIT_BUF_INIT;
  std::string default_branch;
  if (git_remote_default_branch(&head, raw) == 0) {
    default_branch = std::string(head.ptr, head.size);
    git_buf_dispose(&head);
  }
  constexpr std::string_view kHeads = "refs/heads/";
  if (default_branch.starts_with(kHeads)) default_branch.erase(0, kHeads.size());
  if (default_branch.empty())
    return Fail(ErrorCode::kNotFound, "remote {} advertises no default branch", remote);
  return default_branch;
}

namespace {
int OnPushUpdate(const char* refname, const char* status, void* payload) {
  if (status != nullptr) {
    static_cast<CredentialState*>(payload)->rejected.push_back(
        fmt::format("{} ({})", refname, status));
  }
  return 0;
}
}  // namespace

Status Repository::Push(const std::string& remote, const std::vector<std::string>& refspecs,
                        const Credentials& credentials) {
  git_remote* raw = nullptr;
  PROM_GIT(git_remote_lookup(&raw, repo_, remote.c_str()), fmt::format("remote {}", remote));
  OwnedRemote owned(raw);
  CredentialState state;
  state.credentials = &credentials;
  state.ssh_port = SshPort(UrlOf(raw, true));
  git_push_options options = GIT_PUSH_OPTIONS_INIT;
  options.callbacks.credentials = AcquireCredential;
  options.callbacks.certificate_check = CheckCertificate;
  options.callbacks.push_update_reference = OnPushUpdate;
  options.callbacks.payload = &state;
  std::vector<char*> storage;
  git_strarray specs = Strings(refspecs, storage);
  PROM_GIT(git_remote_push(raw, &specs, &options), fmt::format("push to remote {}", remote));
  if (!state.rejected.empty()) {
    return Fail(ErrorCode::kConflict, "push to remote {}: rejected {}", remote,
                fmt::format("{}", fmt::join(state.rejected, ", ")));
  }
  return Ok();
}

Result<std::string> Repository::Resolve(const std::string& revision) const {
  git_object* raw = nullptr;
  PROM_GIT(git_revparse_single(&raw, repo_, revision.c_str()), fmt::format("revision {}", revision));
  OwnedObject object(raw);
  git_object* peeled = nullptr;
  PROM_GIT(git_object_peel(&peeled, raw, GIT_OBJECT_COMMIT),
           fmt::format("revision {} is not a commit", revision));
  OwnedObject commit(peeled);
  return Hex(git_object_id(peeled));
}

Status Repository::SetRef(const std::string& ref, const std::string& commit,
                          const std::string& log_message) {
  git_oid oid;
  PROM_GIT(git_oid_fromstr(&oid, commit.c_str()), fmt::format("commit id {}", commit));
  git_reference* raw = nullptr;
  PROM_GIT(git_reference_create(&raw, repo_, ref.c_str(), &oid, 1, log_message.c_str()),
           fmt::format("set {}", ref));
  OwnedReference owned(raw);
  return Ok();
}

std::string Repository::HeadRef() const {
  git_reference* raw = nullptr;
  if (git_repository_head_detached(repo_) == 1) return "";
  if (git_repository_head(&raw, repo_) < 0) return "";
  OwnedReference owned(raw);
  return git_reference_name(raw);
}

namespace {
Result<OwnedCommit> LookupCommit(git_repository* repo, const std::string& id) {
  git_oid oid;
  PROM_GIT(git_oid_fromstr(&oid, id.c_str()), fmt::format("commit id {}", id));
  git_commit* raw = nullptr;
  PROM_GIT(git_commit_lookup(&raw, repo, &oid), fmt::format("commit {}", id));
  return OwnedCommit(raw);
}

CommitInfo Describe(const git_commit* commit) {
  CommitInfo info;
  info.id = Hex(git_commit_id(commit));
  const char* summary = git_commit_summary(const_cast<git_commit*>(commit));
  info.summary = summary != nullptr ? summary : "";
  info.message = git_commit_message(commit);
  info.author_email = git_commit_author(commit)->email;
  info.committer_email = git_commit_committer(commit)->email;
  info.time = git_commit_time(commit);
  for (unsigned i = 0; i < git_commit_parentcount(commit); ++i)
    info.parents.push_back(Hex(git_commit_parent_id(commit, i)));
  return info;
}
}  // namespace

Result<CommitInfo> Repository::Commit(const std::string& id) const {
  PROM_ASSIGN_OR_RETURN(OwnedCommit commit, LookupCommit(repo_, id));
  return Describe(commit.get());
}

Result<std::vector<CommitInfo>> Repository::Log(const std::string& tip,
                                                const std::string& hide) const {
  git_revwalk* raw = nullptr;
  PROM_GIT(git_revwalk_new(&raw, repo_), "revision walk");
  OwnedRevwalk walk(raw);
  git_revwalk_sorting(raw, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  git_oid oid;
  PROM_GIT(git_oid_fromstr(&oid, tip.c_str()), fmt::format("commit id {}", tip));
  PROM_GIT(git_revwalk_push(raw, &oid), fmt::format("commit {}", tip));
  if (!hide.empty()) {
    PROM_GIT(git_oid_fromstr(&oid, hide.c_str()), fmt::format("commit id {}", hide));
    PROM_GIT(git_revwalk_hide(raw, &oid), fmt::format("commit {}", hide));
  }
  std::vector<CommitInfo> out;
  while (git_revwalk_next(&oid, raw) == 0) {
    PROM_ASSIGN_OR_RETURN(OwnedCommit commit, LookupCommit(repo_, Hex(&oid)));
    out.push_back(Describe(commit.get()));
  }
  return out;
}

Result<std::string> Repository::MergeBase(const std::string& a, const std::string& b) const {
  git_oid one, two, base;
  PROM_GIT(git_oid_fromstr(&one, a.c_str()), fmt::format("commit id {}", a));
  PROM_GIT(git_oid_fromstr(&two, b.c_str()), fmt::format("commit id {}", b));
  PROM_GIT(git_merge_base(&base, repo_, &one, &two), fmt::format("merge base of {} and {}", a, b));
  return Hex(&base);
}

Result<bool> Repository::Contains(const std::string& commit, const std::string& ancestor) const {
  git_oid one, two;
  PROM_GIT(git_oid_fromstr(&one, commit.c_str()), fmt::format("commit id {}", commit));
  PROM_GIT(git_oid_fromstr(&two, ancestor.c_str()), fmt::format("commit id {}", ancestor));
  if (git_oid_equal(&one, &two)) return true;
  int answer = git_graph_descendant_of(repo_, &one, &two);
  PROM_GIT(answer, fmt::format("whether {} contains {}", commit, ancestor));
  return answer == 1;
}

namespace {
struct Materialising {
  git_repository* repo;
  std::filesystem::path folder;
  std::optional<Error> failure;
};

int WriteEntry(const char* root, const git_tree_entry* entry, void* payload) {
  auto* state = static_cast<Materialising*>(payload);
  const git_filemode_t mode = git_tree_entry_filemode(entry);
  const std::filesystem::path path = state->folder / root / git_tree_entry_name(entry);
  if (mode == GIT_FILEMODE_TREE) {
    std::filesystem::create_directories(path);
    return 0;
  }
  if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) return 0;
  git_blob* raw = nullptr;
  if (int rc = git_blob_lookup(&raw, state->repo, git_tree_entry_id(entry)); rc < 0) {
    state->failure = LastError(rc, fmt::format("blob {}{}", root, git_tree_entry_name(entry)));
    return -1;
  }
  OwnedBlob blob(raw);
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(git_blob_rawcontent(raw)),
            static_cast<std::streamsize>(git_blob_rawsize(raw)));
  if (!out) {
    state->failure = Error{ErrorCode::kIo, fmt::format("{}: cannot write", path.string())};
    return -1;
  }
  return 0;
}
}  // namespace

Status Repository::Materialise(const std::string& commit,
                               const std::filesystem::path& folder) const {
  PROM_ASSIGN_OR_RETURN(OwnedCommit owned, LookupCommit(repo_, commit));
  git_tree* raw = nullptr;
  PROM_GIT(git_commit_tree(&raw, owned.get()), fmt::format("tree of {}", commit));
  OwnedTree tree(raw);
  std::filesystem::create_directories(folder);
  Materialising state{repo_, folder, std::nullopt};
  int rc = git_tree_walk(raw, GIT_TREEWALK_PRE, WriteEntry, &state);
  if (state.failure) return std::unexpected(*state.failure);
  PROM_GIT(rc, fmt::format("tree of {}", commit));
  return Ok();
}

namespace {
Result<OwnedSignature> Signature(const Identity& identity, int64_t time) {
  git_signature* raw = nullptr;
  PROM_GIT(git_signature_new(&raw, identity.name.c_str(), identity.email.c_str(), time, 0),
           "commit signature");
  return OwnedSignature(raw);
}

Result<std::string> CreateCommit(git_repository* repo, const git_commit* parent,
                                 const git_oid& tree_id, const std::string& message,
                                 const Identity& identity, int64_t time) {
  git_tree* raw = nullptr;
  PROM_GIT(git_tree_lookup(&raw, repo, &tree_id), "new tree");
  OwnedTree tree(raw);
  PROM_ASSIGN_OR_RETURN(OwnedSignature signature, Signature(identity, time));
  const git_commit* parents[] = {parent};
  git_oid id;
  PROM_GIT(git_commit_create(&id, repo, nullptr, signature.get(), signature.get(), "UTF-8",
                             message.c_str(), raw, 1, parents),
           "create commit");
  return Hex(&id);
}
}  // namespace

Result<std::string> Repository::CommitFiles(const std::string& parent,
                                            const std::map<std::string, std::string>& files,
                                            const std::string& message,
                                            const Identity& identity, int64_t time) {
  PROM_ASSIGN_OR_RETURN(OwnedCommit base, LookupCommit(repo_, parent));
  git_tree* raw = nullptr;
  PROM_GIT(git_commit_tree(&raw, base.get()), fmt::format("tree of {}", parent));
  OwnedTree tree(raw);
  std::vector<git_tree_update> updates;
  for (const auto& [path, bytes] : files) {
    git_tree_update update{};
    update.action = GIT_TREE_UPDATE_UPSERT;
    update.path = path.c_str();
    update.filemode = GIT_FILEMODE_BLOB;
    git_tree_entry* existing = nullptr;
    if (git_tree_entry_bypath(&existing, raw, path.c_str()) == 0) {
      update.filemode = git_tree_entry_filemode(existing);
      git_tree_entry_free(existing);
    }
    PROM_GIT(git_blob_create_from_buffer(&update.id, repo_, bytes.data(), bytes.size()),
             fmt::format("blob of {}", path));
    updates.push_back(update);
  }
  git_oid tree_id;
  PROM_GIT(git_tree_create_updated(&tree_id, repo_, raw, updates.size(), updates.data()),
           "updated tree");
  return CreateCommit(repo_, base.get(), tree_id, message, identity, time);
}

Result<std::string> Repository::Revert(const std::string& commit, const std::string& onto,
                                       const std::string& message, const Identity& identity,
                                       int64_t time) {
  PROM_ASSIGN_OR_RETURN(OwnedCommit reverted, LookupCommit(repo_, commit));
  PROM_ASSIGN_OR_RETURN(OwnedCommit ours, LookupCommit(repo_, onto));
  const unsigned mainline = git_commit_parentcount(reverted.get()) > 1 ? 1 : 0;
  git_index* raw = nullptr;
  PROM_GIT(git_revert_commit(&raw, repo_, reverted.get(), ours.get(), mainline, nullptr),
           fmt::format("revert {}", commit));
  OwnedIndex index(raw);
  if (git_index_has_conflicts(raw))
    return Fail(ErrorCode::kConflict, "revert {} on {}: conflicts", commit, onto);
  git_oid tree_id;
  PROM_GIT(git_index_write_tree_to(&tree_id, raw, repo_), "revert tree");
  return CreateCommit(repo_, ours.get(), tree_id, message, identity, time);
}

Result<bool> Repository::SameTree(const std::string& a, const std::string& b) const {
  PROM_ASSIGN_OR_RETURN(OwnedCommit one, LookupCommit(repo_, a));
  PROM_ASSIGN_OR_RETURN(OwnedCommit two, LookupCommit(repo_, b));
  return git_oid_equal(git_commit_tree_id(one.get()), git_commit_tree_id(two.get())) != 0;
}

Result<std::string> Repository::Diff(const std::string& from, const std::string& to) const {
  PROM_ASSIGN_OR_RETURN(OwnedCommit one, LookupCommit(repo_, from));
  PROM_ASSIGN_OR_RETURN(OwnedCommit two, LookupCommit(repo_, to));
  git_tree* raw_one = nullptr;
  git_tree* raw_two = nullptr;
  PROM_GIT(git_commit_tree(&raw_one, one.get()), "tree");
  OwnedTree tree_one(raw_one);
  PROM_GIT(git_commit_tree(&raw_two, two.get()), "tree");
  OwnedTree tree_two(raw_two);
  git_diff* raw_diff = nullptr;
  PROM_GIT(git_diff_tree_to_tree(&raw_diff, repo_, raw_one, raw_two, nullptr), "diff");
  OwnedDiff diff(raw_diff);
  git_buf patch = GIT_BUF_INIT;
  PROM_GIT(git_diff_to_buf(&patch, raw_diff, GIT_DIFF_FORMAT_PATCH), "diff text");
  std::string out(patch.ptr, patch.size);
  git_buf_dispose(&patch);
  return out;
}

}  // namespace prometheus::git
