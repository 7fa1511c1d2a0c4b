#include "prometheus/git/known_hosts.h"

#include <gtest/gtest.h>

#include <fstream>

#include "prometheus/base/base64.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::git {
namespace {

// Two ed25519 keys made by ssh-keygen, and their names hashed by
// `ssh-keygen -H` (OpenSSH 9.2): an independent writer of the format.
constexpr std::string_view kKeyA = "AAAAC3NzaC1lZDI1NTE5AAAAIG5/QkMTRIWJnJZJ9gnpd0e/FtuuRFEdJOgXESNtgS3f";
constexpr std::string_view kKeyB = "AAAAC3NzaC1lZDI1NTE5AAAAIOz7GKTu4+Uh4aI6ScJTEuMqCYmlv4naoczmFJMi2Whh";
constexpr std::string_view kHashedA =  // [git.example.com]:2222
    "|1|HBjzarx6zhZ61k3qXSBWr4KavQ8=|/sofuMMrL6wt0FA3nueUq2s9Z+g=";
constexpr std::string_view kHashedB =  // git.example.com
    "|1|SKu9VLeNhvl2ulH/SvC47iGaE7I=|FZM0PbxBbHu8+MTbr66If4UupRk=";

std::string Blob(std::string_view key) { return *Base64Decode(key); }

std::string Line(std::string_view hosts, std::string_view key, std::string_view marker = "") {
  return fmt::format("{}{}{} ssh-ed25519 {} comment\n", marker, marker.empty() ? "" : " ", hosts,
                     key);
}

TEST(KnownHostsTest, NamesAServerAsSshDoes) {
  EXPECT_EQ(KnownHostsName("Git.Example.com", 22), "git.example.com");
  EXPECT_EQ(KnownHostsName("git.example.com", 2222), "[git.example.com]:2222");
  EXPECT_EQ(KnownHostsName("[::1]", 2222), "[::1]:2222");
  EXPECT_EQ(KeyType(Blob(kKeyA)), "ssh-ed25519");
  EXPECT_EQ(KeyType(std::string_view("\0\0\0\x09short", 9)), "");
}

TEST(KnownHostsTest, ReadsThePortOfEveryRemoteForm) {
  EXPECT_EQ(SshPort("ssh://git@github.com/acme/etl.git"), 22);
  EXPECT_EQ(SshPort("ssh://git@127.0.0.1:2222/srv/etl.git"), 2222);
  EXPECT_EQ(SshPort("git+ssh://host:7999/x"), 7999);
  EXPECT_EQ(SshPort("ssh://user@[::1]:2200/x"), 2200);
  EXPECT_EQ(SshPort("ssh://[::1]/x"), 22);
  EXPECT_EQ(SshPort("git@github.com:acme/etl.git"), 22);
  EXPECT_EQ(SshPort("ssh://host:99999/x"), 22);
  EXPECT_EQ(SshPort("https://github.com/acme/etl.git"), 22);
}

TEST(KnownHostsTest, FindsPlainHashedAndWildcardNames) {
  const std::string a = Blob(kKeyA);
  EXPECT_EQ(LookUpHostKey(Line("[git.example.com]:2222", kKeyA), "[git.example.com]:2222", a).match,
            HostKeyMatch::kKnown);
  // The same host on port 22 is another name.
  EXPECT_EQ(LookUpHostKey(Line("[git.example.com]:2222", kKeyA), "git.example.com", a).match,
            HostKeyMatch::kUnknown);
  EXPECT_EQ(LookUpHostKey(Line(kHashedA, kKeyA), "[git.example.com]:2222", a).match,
            HostKeyMatch::kKnown);
  EXPECT_EQ(LookUpHostKey(Line(kHashedA, kKeyA), "git.example.com", a).match,
            HostKeyMatch::kUnknown);
  EXPECT_EQ(LookUpHostKey(Line(kHashedB, kKeyB), "git.example.com", Blob(kKeyB)).match,
            HostKeyMatch::kKnown);
  const std::string listed = "# a comment\n\n" + Line("other,*.example.com,!evil.example.com", kKeyA);
  EXPECT_EQ(LookUpHostKey(listed, "git.example.com", a).match, HostKeyMatch::kKnown);
  EXPECT_EQ(LookUpHostKey(listed, "evil.example.com", a).match, HostKeyMatch::kUnknown);
  EXPECT_EQ(LookUpHostKey(Line("gi?.example.com", kKeyA), "git.example.com", a).line, 1);
  EXPECT_EQ(LookUpHostKey(Line("GIT.EXAMPLE.COM", kKeyA), "git.example.com", a).match,
            HostKeyMatch::kKnown);
}

TEST(KnownHostsTest, TellsAChangedKeyFromAnUnknownOneAndHonoursRevocation) {
  const std::string b = Blob(kKeyB);
  const std::string text = Line("git.example.com", kKeyA) + Line("git.example.com", kKeyB, "@revoked");
  HostKeyLookup changed = LookUpHostKey(Line("x", kKeyB) + Line("git.example.com", kKeyA),
                                        "git.example.com", b);
  EXPECT_EQ(changed.match, HostKeyMatch::kChanged);
  EXPECT_EQ(changed.line, 2);
  HostKeyLookup revoked = LookUpHostKey(text, "git.example.com", b);
  EXPECT_EQ(revoked.match, HostKeyMatch::kRevoked);
  EXPECT_EQ(revoked.line, 2);
  // A certificate authority line is not a host key.
  EXPECT_EQ(LookUpHostKey(Line("*", kKeyB, "@cert-authority"), "git.example.com", b).match,
            HostKeyMatch::kUnknown);
  // A key of another type known for the host is no conflict.
  const std::string rsa = "git.example.com ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7\n";
  EXPECT_EQ(LookUpHostKey(rsa, "git.example.com", b).match, HostKeyMatch::kUnknown);
}

TEST(KnownHostsTest, CheckSaysWhatToDoAndNamesTheLine) {
  testing::TempDir dir;
  const auto user = dir.path() / "known_hosts";
  const auto system = dir.path() / "ssh_known_hosts";
  std::ofstream(user) << Line("[git.example.com]:2222", kKeyA);
  std::ofstream(system) << Line("git.example.com", kKeyA);
  EXPECT_TRUE(CheckHostKey({user, system}, "[git.example.com]:2222", Blob(kKeyA)));
  EXPECT_TRUE(CheckHostKey({dir.path() / "missing", system}, "git.example.com", Blob(kKeyA)));

  auto unknown = CheckHostKey({user}, "[other.example.com]:2222", Blob(kKeyA));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(unknown.error().message.find("ssh-keyscan -p 2222 other.example.com"), std::string::npos)
      << unknown.error().message;
  EXPECT_NE(unknown.error().message.find(user.string()), std::string::npos);

  auto changed = CheckHostKey({user, system}, "git.example.com", Blob(kKeyB));
  ASSERT_FALSE(changed);
  EXPECT_NE(changed.error().message.find(system.string() + ":1"), std::string::npos)
      << changed.error().message;
  EXPECT_NE(changed.error().message.find("intercepting"), std::string::npos);

  auto none = CheckHostKey({dir.path() / "missing"}, "git.example.com", Blob(kKeyA));
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no known_hosts file"), std::string::npos);
}

}  // namespace
}  // namespace prometheus::git
