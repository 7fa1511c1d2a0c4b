// The baseline of the Titan's benchmark: reads every .py file under a folder
// and parses it with tree-sitter's Python grammar, nothing more. Prints the
// file and line counts and the seconds taken.
//
//   rewrite_parse_baseline DIR
#include <tree_sitter/api.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

extern "C" const TSLanguage* tree_sitter_python();

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  size_t files = 0, lines = 0, nodes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1])) {
    if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(),
                                          static_cast<uint32_t>(text.size()));
    nodes += ts_node_child_count(ts_tree_root_node(tree)) > 0;
    ts_tree_delete(tree);
    ++files;
    for (char c : text) lines += c == '\n';
  }
  ts_parser_delete(parser);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("files=%zu lines=%zu parsed=%zu seconds=%.6f\n", files, lines, nodes, seconds);
  return 0;
}
