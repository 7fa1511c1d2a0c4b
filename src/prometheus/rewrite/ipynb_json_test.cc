// .ipynb JSON: the string quoting json.dumps uses, positioned errors for
// malformed files, and ipykernel's murmur2 cell names checked against CPython.
#include "prometheus/rewrite/ipynb_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "prometheus/rewrite/ipynb_notebook.h"
#include "prometheus/rewrite/ipynb_testing.h"
#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using ipynb::JsonQuote;
using ipynb::SplitLinesKeepEnds;
using testing::Fixture;
using ::testing::HasSubstr;
using testing::kFixtures;
using testing::Load;

TEST(IpynbNotebook, JsonQuoteMatchesPythonJsonDumps) {
  // Expected values printed by python3: json.dumps(s, ensure_ascii=...).
  std::string s = "a\"b\\c/\n\t\r\b\f\x01\x1f\x7f é € 😀";
  EXPECT_EQ(JsonQuote(s, false),
            "\"a\\\"b\\\\c/\\n\\t\\r\\b\\f\\u0001\\u001f\x7f é € 😀\"");
  EXPECT_EQ(JsonQuote(s, true),
            "\"a\\\"b\\\\c/\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f \\u00e9 "
            "\\u20ac \\ud83d\\ude00\"");
  // str.splitlines(True) of "x\u2028y\x85z\r\nw\x0bv".
  EXPECT_THAT(
      SplitLinesKeepEnds("x\u2028y\u0085z\r\nw\x0bv"),
      ::testing::ElementsAre("x\u2028", "y\u0085", "z\r\n", "w\x0b", "v"));
}

TEST(IpynbNotebook, MalformedJsonErrorsArePositioned) {
  auto error = [](std::string text) {
    auto notebook = IpynbNotebook::Parse(std::move(text));
    EXPECT_FALSE(notebook.has_value());
    return notebook ? std::string() : notebook.error().message;
  };
  EXPECT_EQ(error(R"({"cells": [})"),
            "line 1, byte 11: expected a JSON value, found '}'");
  EXPECT_EQ(error("{\n \"cells\": [],\n \"metadata\": {}\n \"nbformat\": 4\n}"),
            "line 4, byte 33: expected ',' or '}' in object, found '\"'");
  EXPECT_EQ(
      error(R"({"cells": ["abc)"),
      "line 1, byte 15: expected '\"' closing the string, found end of input");
  EXPECT_THAT(error(R"(["\x"])"),
              HasSubstr("line 1, byte 3: expected an escape"));
  EXPECT_EQ(error("[\"a\tb\"]"),
            "line 1, byte 3: expected a string character (control characters "
            "must be escaped), "
            "found byte 0x09");
  EXPECT_THAT(error(R"(["\udc00"])"),
              HasSubstr("byte 2: expected a high surrogate"));
  EXPECT_THAT(error(R"(["\ud83dx"])"),
              HasSubstr("byte 8: expected a low surrogate"));
  EXPECT_THAT(error("[\"\xff\"]"),
              HasSubstr("byte 2: expected valid UTF-8, found byte 0xff"));
  EXPECT_EQ(error("{} x"),
            "line 1, byte 3: expected the end of the document after the "
            "top-level value, found 'x'");
  EXPECT_THAT(error("[01]"),
              HasSubstr("byte 2: expected ',' or ']' in array, found '1'"));
  EXPECT_THAT(error("[-]"), HasSubstr("byte 2: expected a digit, found ']'"));
  EXPECT_THAT(
      error(
          R"({"cells": [{"cell_type": "code", "source": 3}], "nbformat": 4})"),
      HasSubstr("cells[0].source: expected a string or an array of strings "
                "(line 1, byte 43)"));
  EXPECT_THAT(
      error(
          R"({"cells": [{"cell_type": "code", "source": ["a", 1]}], "nbformat": 4})"),
      HasSubstr("cells[0].source: expected a string or an array of strings"));
  EXPECT_THAT(error(R"({"cells": [], "nbformat": 3})"),
              HasSubstr("nbformat: expected 4"));
  EXPECT_THAT(error(R"({"nbformat": 4})"),
              HasSubstr("cells: expected an array"));

  // A fixture cut inside a string.
  std::string text = Fixture("nbformat_sales.ipynb");
  size_t cut = text.find("Umsatz") + 3;
  size_t line = 1 + std::count(text.begin(), text.begin() + cut, '\n');
  EXPECT_EQ(error(text.substr(0, cut)),
            fmt::format("line {}, byte {}: expected '\"' closing the string, "
                        "found end of input",
                        line, cut));
}

TEST(IpynbNotebook, IpykernelCellNames) {
  // Values printed by python3 running ipykernel's murmur2_x86 (compiler.py)
  // with seed 0xC70F6907 on each string.
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("print('hello')"),
            "3900465672.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName(""), "3990065800.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("a"), "2167009006.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("ab"), "2805137849.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("abc"), "3350977461.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("abcd"), "804720481.py");
  EXPECT_EQ(
      IpynbNotebook::IpykernelCellName("df = spark.table('café_日本') # 📈\n"),
      "3755248722.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("spark.range(10).show()"),
            "556031066.py");
}

TEST(IpynbNotebook, CellForIpykernelFileAgreesWithPython) {
  // python3 computes each code cell's name from the joined source, with a
  // murmur2 written here from the algorithm's definition.
  const std::string script = R"(import json, sys
def murmur2(text, seed):
    m, data = 0x5BD1E995, text.encode("utf-8")
    h, n = (seed ^ len(data)) & 0xFFFFFFFF, len(data) // 4 * 4
    for i in range(0, n, 4):
        k = int.from_bytes(data[i:i + 4], "little") * m & 0xFFFFFFFF
        k = (k ^ (k >> 24)) * m & 0xFFFFFFFF
        h = (h * m & 0xFFFFFFFF) ^ k
    if len(data) > n:
        h = (h ^ int.from_bytes(data[n:], "little")) * m & 0xFFFFFFFF
    h = (h ^ (h >> 13)) * m & 0xFFFFFFFF
    return h ^ (h >> 15)
for i, cell in enumerate(json.load(open(sys.argv[1], encoding="utf-8"))["cells"]):
    if cell["cell_type"] == "code":
        s = cell["source"]
        print(i, murmur2(s if isinstance(s, str) else "".join(s), 0xC70F6907))
)";
  prometheus::testing::TempDir dir;
  auto program = dir.Write("names.py", script);
  for (const char* name : kFixtures) {
    SCOPED_TRACE(name);
    std::string text = Fixture(name);
    IpynbNotebook notebook = Load(text);
    auto input = dir.Write("in.ipynb", text);
    auto output = dir.path() / "names.txt";
    std::string command = "python3 '" + program.string() + "' '" +
                          input.string() + "' > '" + output.string() + "'";
    ASSERT_EQ(std::system(command.c_str()), 0);
    std::istringstream lines(prometheus::testing::Slurp(output));
    size_t index = 0, count = 0;
    std::string hash;
    while (lines >> index >> hash) {
      ++count;
      EXPECT_EQ(
          IpynbNotebook::IpykernelCellName(notebook.cells()[index].source),
          hash + ".py");
      EXPECT_EQ(
          notebook.CellForIpykernelFile("/tmp/ipykernel_201/" + hash + ".py"),
          index);
      EXPECT_EQ(notebook.CellForIpykernelFile("C:\\Temp\\ipykernel_7\\" + hash +
                                              ".py"),
                index);
    }
    EXPECT_GT(count, 0u);
  }
  IpynbNotebook notebook = Load(Fixture("nbformat_sales.ipynb"));
  EXPECT_EQ(notebook.CellForIpykernelFile("/tmp/ipykernel_201/1.py"),
            std::nullopt);
  // Two cells with one source share one name, which then names neither.
  auto twins = IpynbNotebook::Parse(R"json({"cells": [
    {"cell_type": "code", "source": "df.show()"},
    {"cell_type": "code", "source": ["df.show()"]}], "nbformat": 4})json");
  ASSERT_TRUE(twins.has_value());
  EXPECT_EQ(twins->CellForIpykernelFile(
                IpynbNotebook::IpykernelCellName("df.show()")),
            std::nullopt);
}

}  // namespace
}  // namespace prometheus::rewrite
