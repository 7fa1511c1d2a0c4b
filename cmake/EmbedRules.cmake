# Writes OUT, a C++ file holding every rules/*.toml of RULES_DIR, so that the
# binary carries its built-in rules wherever it is installed.
file(GLOB rule_files "${RULES_DIR}/*.toml")
list(SORT rule_files)
set(body "")
foreach(path ${rule_files})
  get_filename_component(name "${path}" NAME)
  file(READ "${path}" text)
  string(APPEND body "      {\"${name}\", R\"PROMETHEUS_RULE(${text})PROMETHEUS_RULE\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from rules/*.toml by cmake/EmbedRules.cmake; do not edit.\n"
  "#include \"prometheus/rules/builtin_rules.h\"\n\n"
  "namespace prometheus::rules {\n\n"
  "const std::vector<EmbeddedRuleFile>& BuiltinRuleFiles() {\n"
  "  static const auto* files = new std::vector<EmbeddedRuleFile>{\n${body}  };\n"
  "  return *files;\n}\n\n}  // namespace prometheus::rules\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
