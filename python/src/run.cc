// run(argv, capture): the command line in this process, as the binary runs it.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "bindings.h"
#include "prometheus/cli/cli.h"

namespace nb = nanobind;

namespace prometheus::python {
namespace {

// A stream whose text stays in memory (open_memstream) until Take.
class MemoryStream {
 public:
  MemoryStream() : stream_(open_memstream(&text_, &size_)) {}
  ~MemoryStream() {
    if (stream_ != nullptr) std::fclose(stream_);
    std::free(text_);
  }
  MemoryStream(const MemoryStream&) = delete;
  MemoryStream& operator=(const MemoryStream&) = delete;

  std::FILE* stream() const { return stream_; }
  bool ok() const { return stream_ != nullptr; }

  // Closes the stream and returns what was written to it.
  std::string Take() {
    std::fclose(stream_);
    stream_ = nullptr;
    return std::string(text_ == nullptr ? "" : text_, size_);
  }

 private:
  char* text_ = nullptr;
  size_t size_ = 0;
  std::FILE* stream_;
};

// The commands write through process-wide streams (cli/terminal.h): one
// command at a time in this process.
std::mutex one_command_at_a_time;

std::tuple<int, nb::bytes, nb::bytes> Run(std::vector<std::string> argv, bool capture) {
  argv.insert(argv.begin(), "prometheus");
  std::vector<char*> args;
  for (auto& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  const int argc = static_cast<int>(argv.size());
  int exit_code;
  std::string out, err;
  if (capture) {
    MemoryStream out_stream, err_stream;
    if (!out_stream.ok() || !err_stream.ok()) throw std::bad_alloc();
    {
      nb::gil_scoped_release release;
      std::lock_guard lock(one_command_at_a_time);
      exit_code = cli::Main(argc, args.data(), {out_stream.stream(), err_stream.stream()});
    }
    out = out_stream.Take();
    err = err_stream.Take();
  } else {
    nb::gil_scoped_release release;
    std::lock_guard lock(one_command_at_a_time);
    exit_code = cli::Main(argc, args.data(), {stdout, stderr});
    std::fflush(stderr);
  }
  return {exit_code, nb::bytes(out.data(), out.size()), nb::bytes(err.data(), err.size())};
}

}  // namespace

void BindRun(nb::module_& m) {
  m.def("run", &Run, nb::arg("argv"), nb::arg("capture"),
        "Runs the command line `prometheus ARGV...` in this process, with the GIL "
        "released, and returns (exit_code, stdout, stderr) as bytes. With capture=False "
        "the output goes to the process' stdout and stderr and both are empty.");
}

}  // namespace prometheus::python
