# Every dependency comes from Debian 12's packages (see tools/install-deps.sh).
find_package(PkgConfig REQUIRED)
pkg_check_modules(SIMDJSON REQUIRED IMPORTED_TARGET simdjson>=3.0)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd>=1.5)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4>=1.9)
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2>=1.5)
find_package(Snappy REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(CLI11 2 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(Threads REQUIRED)
find_package(CURL 7.74 REQUIRED)
# HMAC-SHA1 for OpenSSH's hashed known_hosts names (git/known_hosts).
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
find_library(LZF_LIBRARY lzf REQUIRED)
find_path(LZF_INCLUDE_DIR lzf.h PATH_SUFFIXES liblzf REQUIRED)
add_library(lzf UNKNOWN IMPORTED)
set_target_properties(lzf PROPERTIES IMPORTED_LOCATION ${LZF_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${LZF_INCLUDE_DIR})
if(PROMETHEUS_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(PROMETHEUS_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()

# tree-sitter: Debian's runtime, plus the Python grammar's generated C sources
# that tools/install-deps.sh fetches (pinned, integrity-checked) into
# third_party/. Nothing is downloaded here.
pkg_check_modules(TREE_SITTER REQUIRED IMPORTED_TARGET tree-sitter)
set(PROMETHEUS_TS_PYTHON_DIR ${CMAKE_SOURCE_DIR}/third_party/tree-sitter-python
    CACHE PATH "tree-sitter-python 0.23.6 (the folder holding src/parser.c)")
if(NOT EXISTS ${PROMETHEUS_TS_PYTHON_DIR}/src/parser.c OR
   NOT EXISTS ${PROMETHEUS_TS_PYTHON_DIR}/src/scanner.c)
  message(FATAL_ERROR
    "tree-sitter-python not found in ${PROMETHEUS_TS_PYTHON_DIR} "
    "(no src/parser.c and src/scanner.c): run tools/install-deps.sh, or set "
    "-DPROMETHEUS_TS_PYTHON_DIR to a tree-sitter-python@0.23.6 package folder.")
endif()
enable_language(C)
add_library(ts_python STATIC ${PROMETHEUS_TS_PYTHON_DIR}/src/parser.c
                             ${PROMETHEUS_TS_PYTHON_DIR}/src/scanner.c)
# Each grammar compiles against its own src/tree_sitter/parser.h.
target_include_directories(ts_python PRIVATE ${PROMETHEUS_TS_PYTHON_DIR}/src)
# -w: generated code; our arch flags are irrelevant to it.
set_target_properties(ts_python PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON
                                           COMPILE_OPTIONS -w)
