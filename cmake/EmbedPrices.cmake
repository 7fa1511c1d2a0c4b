# Writes OUT, a C++ file holding data/databricks_prices.json (IN), the price
# table the binary carries for cost estimates.
file(READ "${IN}" text)
file(WRITE "${OUT}.tmp" "// Generated from data/databricks_prices.json by cmake/EmbedPrices.cmake; do not edit.\n"
  "#include \"prometheus/kpi/cost_estimate.h\"\n\n"
  "namespace prometheus::kpi {\n\n"
  "std::string_view BuiltinPriceTableJson() {\n"
  "  return R\"PRICES_JSON(${text})PRICES_JSON\";\n}\n\n}  // namespace prometheus::kpi\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
