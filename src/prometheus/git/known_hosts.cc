#include "prometheus/git/known_hosts.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "prometheus/base/base64.h"

namespace prometheus::git {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// ssh's match_pattern: '*' any run, '?' one character, case-insensitive
// (the name is already lower case).
bool Glob(std::string_view pattern, std::string_view name) {
  size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.size() &&
               (pattern[p] == '?' ||
                std::tolower(static_cast<unsigned char>(pattern[p])) == name[n])) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// "|1|base64(salt)|base64(HMAC-SHA1(salt, name))", as `ssh-keygen -H` writes.
bool HashedNameMatches(std::string_view entry, std::string_view name) {
  constexpr std::string_view kMagic = "|1|";
  size_t bar = entry.find('|', kMagic.size());
  if (bar == std::string_view::npos) return false;
  auto salt = Base64Decode(entry.substr(kMagic.size(), bar - kMagic.size()));
  auto hash = Base64Decode(entry.substr(bar + 1));
  if (!salt || !hash || hash->size() != 20) return false;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha1(), salt->data(), static_cast<int>(salt->size()),
           reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest,
           &length) == nullptr) {
    return false;
  }
  return length == hash->size() && std::string_view(reinterpret_cast<char*>(digest), length) == *hash;
}

// A comma list of patterns: matches when one pattern does and no negated
// one does.
bool HostsMatch(std::string_view hosts, std::string_view name) {
  if (hosts.starts_with("|1|")) return HashedNameMatches(hosts, name);
  bool matched = false;
  while (!hosts.empty()) {
    size_t comma = hosts.find(',');
    std::string_view pattern = hosts.substr(0, comma);
    hosts = comma == std::string_view::npos ? std::string_view() : hosts.substr(comma + 1);
    if (pattern.starts_with('!')) {
      if (Glob(pattern.substr(1), name)) return false;
    } else if (Glob(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t at = 0;
  while (at < line.size()) {
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
    size_t end = at;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    if (end > at) fields.push_back(line.substr(at, end - at));
    at = end;
  }
  return fields;
}

std::string Home() {
  const char* home = std::getenv("HOME");
  return home != nullptr ? home : "";
}

}  // namespace

std::string KnownHostsName(std::string_view host, int port) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string name = Lower(host);
  return port == 22 ? name : fmt::format("[{}]:{}", name, port);
}

int SshPort(std::string_view url) {
  for (std::string_view scheme : {"ssh://", "git+ssh://", "ssh+git://"}) {
    if (!url.starts_with(scheme)) continue;
    std::string_view authority = url.substr(scheme.size());
    authority = authority.substr(0, authority.find('/'));
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    size_t colon = authority.starts_with('[') ? authority.find("]:") : authority.find(':');
    if (colon == std::string_view::npos) return 22;
    std::string_view digits = authority.substr(colon + (authority.starts_with('[') ? 2 : 1));
    int port = 0;
    for (char c : digits) {
      if (c < '0' || c > '9' || port > 65535) return 22;
      port = port * 10 + (c - '0');
    }
    return port > 0 && port <= 65535 ? port : 22;
  }
  return 22;
}

std::string KeyType(std::string_view blob) {
  if (blob.size() < 4) return "";
  uint32_t length = 0;
  for (int i = 0; i < 4; ++i) length = (length << 8) | static_cast<unsigned char>(blob[i]);
  if (length > blob.size() - 4) return "";
  return std::string(blob.substr(4, length));
}

HostKeyLookup LookUpHostKey(std::string_view text, std::string_view name, std::string_view key_blob) {
  const std::string type = KeyType(key_blob);
  HostKeyLookup found;
  int number = 0;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    ++number;
    std::vector<std::string_view> fields = Fields(line);
    if (fields.empty() || fields[0].starts_with('#')) continue;
    bool revoked = false;
    if (fields[0].starts_with('@')) {
      if (fields[0] == "@cert-authority") continue;
      revoked = fields[0] == "@revoked";
      if (!revoked) continue;  // an unknown marker: ssh ignores the line
      fields.erase(fields.begin());
    }
    if (fields.size() < 3 || !HostsMatch(fields[0], name)) continue;
    auto key = Base64Decode(fields[2]);
    if (!key) continue;
    if (revoked) {
      if (*key == key_blob) return {HostKeyMatch::kRevoked, number};
      continue;
    }
    if (*key == key_blob) {
      if (found.match != HostKeyMatch::kKnown) found = {HostKeyMatch::kKnown, number};
    } else if (fields[1] == type && found.match == HostKeyMatch::kUnknown) {
      found = {HostKeyMatch::kChanged, number};
    }
  }
  return found;
}

std::vector<std::filesystem::path> DefaultKnownHostsFiles() {
  std::vector<std::filesystem::path> files;
  if (std::string home = Home(); !home.empty()) {
    files.push_back(std::filesystem::path(home) / ".ssh" / "known_hosts");
    files.push_back(std::filesystem::path(home) / ".ssh" / "known_hosts2");
  }
  files.push_back("/etc/ssh/ssh_known_hosts");
  files.push_back("/etc/ssh/ssh_known_hosts2");
  return files;
}

Status CheckHostKey(const std::vector<std::filesystem::path>& files, std::string_view name,
                    std::string_view key_blob) {
  const std::string type = KeyType(key_blob);
  bool known = false;
  std::string changed;
  std::vector<std::string> read;
  for (const std::filesystem::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) continue;
    read.push_back(file.string());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    HostKeyLookup lookup = LookUpHostKey(text, name, key_blob);
    if (lookup.match == HostKeyMatch::kRevoked) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the SSH host key of {} ({}) is marked @revoked in {}:{}; nothing was sent",
                  name, type, file.string(), lookup.line);
    }
    if (lookup.match == HostKeyMatch::kKnown) known = true;
    if (lookup.match == HostKeyMatch::kChanged && changed.empty())
      changed = fmt::format("{}:{}", file.string(), lookup.line);
  }
  if (known) return Ok();
  if (!changed.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the SSH host key of {} ({}) differs from the one in {}: the host key changed or "
                "someone is intercepting the connection; nothing was sent (check the new key, "
                "then replace that line)",
                name, type, changed);
  }
  const bool bracketed = name.starts_with('[');
  const std::string host(bracketed ? name.substr(1, name.find(']') - 1) : name);
  const std::string port = bracketed ? std::string(name.substr(name.find("]:") + 2)) : "22";
  return Fail(ErrorCode::kInvalidArgument,
              "the SSH host key of {} ({}) is not known ({}): check it and add it, e.g. "
              "`ssh-keyscan -p {} {} >> ~/.ssh/known_hosts`, as ssh would ask",
              name, type, read.empty() ? std::string("no known_hosts file")
                                       : fmt::format("not in {}", fmt::join(read, ", ")),
              port, host);
}

}  // namespace prometheus::git
