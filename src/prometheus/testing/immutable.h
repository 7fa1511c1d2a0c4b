// Makes a file or folder immutable (`chattr +i`) for a test's scope, so that
// even root cannot write it: the way to test write failures as root.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace prometheus::testing {

class Immutable {
 public:
  explicit Immutable(const std::filesystem::path& path) : path_(path) {
    set_ = std::system(("chattr +i '" + path_.string() + "' 2>/dev/null").c_str()) == 0;
  }
  ~Immutable() {
    if (set_) (void)std::system(("chattr -i '" + path_.string() + "'").c_str());
  }
  Immutable(const Immutable&) = delete;
  Immutable& operator=(const Immutable&) = delete;

  // False where the file system has no such attribute: skip the test.
  bool set() const { return set_; }

 private:
  std::filesystem::path path_;
  bool set_ = false;
};

}  // namespace prometheus::testing
