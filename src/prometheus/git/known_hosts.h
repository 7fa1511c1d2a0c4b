// Checking an SSH server's host key against OpenSSH's known_hosts files,
// as `ssh` does with StrictHostKeyChecking=yes. libgit2 1.5 checks through
// libssh2, which reads no @revoked marker, no wildcard or negated pattern,
// and says only "invalid or unknown remote ssh hostkey"; this check decides
// instead, and says whether the key is unknown, changed or revoked, where,
// and what to do. Format: sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT".
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::git {

// How known_hosts names a server: "host" on port 22, "[host]:port"
// otherwise; lower case, as ssh compares names.
std::string KnownHostsName(std::string_view host, int port);

// The port of an SSH remote URL: "ssh://[user@]host[:port]/path" (also
// git+ssh:// and ssh+git://, and "[v6]:port"); 22 for the scp-like
// "[user@]host:path" and when none is given.
int SshPort(std::string_view remote_url);

// The type an SSH public key blob names in its first field ("ssh-ed25519");
// "" when the blob is too short to hold one.
std::string KeyType(std::string_view key_blob);

enum class HostKeyMatch { kUnknown, kKnown, kChanged, kRevoked };

struct HostKeyLookup {
  HostKeyMatch match = HostKeyMatch::kUnknown;
  int line = 0;  // of the deciding entry (kChanged, kRevoked, kKnown)
};

// Looks the server's key (the raw blob the server sent) up for `name`
// (KnownHostsName) in the text of one known_hosts file. Hashed names
// (|1|salt|hash), comma lists, * and ? wildcards, !negations and the
// @revoked marker are honoured; @cert-authority lines are skipped (host
// certificates are not checked). kChanged: the file knows the host with
// another key of the same type.
HostKeyLookup LookUpHostKey(std::string_view known_hosts, std::string_view name,
                            std::string_view key_blob);

// The files ssh reads by default: ~/.ssh/known_hosts{,2} ($HOME) and
// /etc/ssh/ssh_known_hosts{,2}.
std::vector<std::filesystem::path> DefaultKnownHostsFiles();

// OK when some file knows the key for `name` and none revokes it; else
// kInvalidArgument saying what to do, naming the server, the key type and
// (for a changed or revoked key) the file and line.
Status CheckHostKey(const std::vector<std::filesystem::path>& files, std::string_view name,
                    std::string_view key_blob);

}  // namespace prometheus::git
