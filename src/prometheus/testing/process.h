// Runs the built `prometheus` binary in tests, as a user would.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::testing {

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string out;
  std::string err;
};

// A running `prometheus` whose stdout and stderr go to files, so a large
// report cannot block it on a full pipe.
class Process {
 public:
  // `stdout_to`, when given, is an existing file or device stdout is
  // written to (/dev/full to see a write fail), instead of a file of ours.
  explicit Process(const std::vector<std::string>& args,
                   const std::filesystem::path& stdout_to = {}) {
    std::vector<std::string> all = {PrometheusBinary()};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : all) argv.push_back(arg.data());
    argv.push_back(nullptr);
    out_ = stdout_to.empty() ? files_.path() / "stdout" : stdout_to;
    stdout_is_theirs_ = !stdout_to.empty();
    err_ = files_.path() / "stderr";
    pid_ = ::fork();
    if (pid_ == 0) {
      int in = ::open("/dev/null", O_RDONLY);
      int out = stdout_to.empty() ? ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600)
                                  : ::open(out_.c_str(), O_WRONLY);
      int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (in < 0 || out < 0 || err < 0) ::_exit(126);
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process() {
    if (pid_ > 0 && !waited_) Kill();
  }

  // SIGKILL, as a crash or an operator would.
  void Kill() {
    ::kill(pid_, SIGKILL);
    Wait();
  }

  ProcessResult Wait() {
    ProcessResult result;
    if (!waited_) {
      ::waitpid(pid_, &status_, 0);
      waited_ = true;
    }
    if (WIFEXITED(status_)) result.exit_code = WEXITSTATUS(status_);
    if (!stdout_is_theirs_) result.out = Slurp(out_);
    result.err = Slurp(err_);
    return result;
  }

 private:
  TempDir files_;
  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
  int status_ = 0;
  bool waited_ = false;
  bool stdout_is_theirs_ = false;
};

// The run's stdout as JSON; a discarded document (not JSON) fails the test.
inline nlohmann::json StdoutJson(const ProcessResult& run) {
  auto doc = nlohmann::json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(doc.is_discarded()) << "not JSON:\n" << run.out.substr(0, 500) << run.err;
  return doc;
}

inline ProcessResult RunPrometheus(const std::vector<std::string>& args) {
  Process process(args);
  return process.Wait();
}

}  // namespace prometheus::testing
