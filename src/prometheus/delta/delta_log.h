// Delta Lake log actions (PROTOCOL.md): what one line of a commit holds, and
// how the table's state is rebuilt from them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::delta {

struct Protocol {
  int min_reader_version = 1;
  int min_writer_version = 2;
  std::vector<std::string> reader_features;
  std::vector<std::string> writer_features;
};

struct Metadata {
  std::string id;
  std::string name;
  std::string schema_string;
  std::vector<std::string> partition_columns;
  std::map<std::string, std::string> configuration;
  std::optional<int64_t> created_time;
};

struct AddFile {
  std::string path;  // URL-decoded, relative to the table root
  std::map<std::string, std::optional<std::string>> partition_values;
  int64_t size = 0;
  int64_t modification_time = 0;
  bool data_change = true;
  std::string stats;  // JSON text, or ""
  std::map<std::string, std::string> tags;
  bool has_deletion_vector = false;
};

struct RemoveFile {
  std::string path;
  int64_t deletion_timestamp = 0;
  bool data_change = true;
};

struct Txn {
  std::string app_id;
  int64_t version = 0;
  std::optional<int64_t> last_updated;
};

// The state of a table at one version: the reconciliation of its actions.
struct Snapshot {
  int64_t version = -1;  // -1: the table does not exist yet
  std::optional<Protocol> protocol;
  std::optional<Metadata> metadata;
  std::map<std::string, AddFile> files;  // live files by path
  std::map<std::string, RemoveFile> tombstones;
  std::map<std::string, int64_t> txns;   // latest version per appId

  // Folds one commit's (or checkpoint's) actions in, in log order.
  void Apply(const Protocol& p) { protocol = p; }
  void Apply(const Metadata& m) { metadata = m; }
  void Apply(const AddFile& add);
  void Apply(const RemoveFile& remove);
  void Apply(const Txn& txn) { txns[txn.app_id] = txn.version; }
};

// Applies every action of one commit file's text to `snapshot`. `file`
// names the commit in errors, which give the line and what was expected.
Status ApplyCommitText(std::string_view text, const std::string& file,
                       Snapshot& snapshot);

// One JSON line per action, as a commit holds them.
std::string ProtocolLine(const Protocol& protocol);
std::string MetadataLine(const Metadata& metadata);
std::string AddLine(const AddFile& add);
std::string RemoveLine(const RemoveFile& remove);
std::string TxnLine(const Txn& txn);
std::string CommitInfoLine(int64_t timestamp_ms, std::string_view operation,
                           bool blind_append);

// Whether this reader can read a table with `protocol`; the error names the
// version or feature it cannot handle.
Status CheckReadable(const Protocol& protocol);
// Whether this writer (writer version 2, no table features) may write.
Status CheckWritable(const Protocol& protocol, const Metadata& metadata);

}  // namespace prometheus::delta
