#include "prometheus/databricks/config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace prometheus::databricks {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string NormaliseHost(std::string host) {
  while (!host.empty() && host.back() == '/') host.pop_back();
  if (!host.empty() && host.find("://") == std::string::npos) host = "https://" + host;
  return host;
}

struct Attribute {
  const char* key;  // in the config file
  const char* env;
  std::string Config::*field;
};

const std::vector<Attribute>& Attributes() {
  static const std::vector<Attribute> attributes = {
      {"host", "DATABRICKS_HOST", &Config::host},
      {"token", "DATABRICKS_TOKEN", &Config::token},
      {"client_id", "DATABRICKS_CLIENT_ID", &Config::client_id},
      {"client_secret", "DATABRICKS_CLIENT_SECRET", &Config::client_secret},
      {"warehouse_id", "DATABRICKS_WAREHOUSE_ID", &Config::warehouse_id},
  };
  return attributes;
}

}  // namespace

Result<ConfigFile> ParseConfigFile(std::string_view text, const std::string& path) {
  ConfigFile file;
  std::string section;
  int number = 0;
  std::istringstream lines{std::string(text)};
  for (std::string raw; std::getline(lines, raw);) {
    ++number;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') {
        return Fail(ErrorCode::kInvalidArgument, "{}:{}: a section header without its ']'", path, number);
      }
      section = std::string(Trim(line.substr(1, line.size() - 2)));
      file[section];
      continue;
    }
    auto equals = line.find('=');
    if (equals == std::string_view::npos || section.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "{}:{}: expected [section] or key = value", path, number);
    }
    std::string_view value = Trim(line.substr(equals + 1));
    for (size_t i = 1; i < value.size(); ++i) {
      if (value[i] == '#' && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
        value = Trim(value.substr(0, i));
        break;
      }
    }
    file[section][std::string(Trim(line.substr(0, equals)))] = std::string(value);
  }
  return file;
}

Environment ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

Result<Config> ResolveConfig(const Environment& environment,
                             const std::optional<std::string>& profile) {
  Config config;
  std::vector<std::string> from_env;
  for (const auto& attribute : Attributes()) {
    if (auto value = environment(attribute.env)) {
      config.*attribute.field = *value;
      if (attribute.field != &Config::warehouse_id) from_env.push_back(attribute.env);
    }
  }
  std::optional<std::string> wanted = profile;
  if (!wanted) wanted = environment("DATABRICKS_CONFIG_PROFILE");
  std::string path;
  if (auto file = environment("DATABRICKS_CONFIG_FILE")) {
    path = *file;
  } else {
    path = environment("HOME").value_or("") + "/.databrickscfg";
  }
  std::string from_file;
  if (wanted || from_env.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      if (wanted) {
        return Fail(ErrorCode::kInvalidArgument,
                    "Databricks profile [{}] asked for, but {} cannot be read; create it or "
                    "set DATABRICKS_CONFIG_FILE", *wanted, path);
      }
    } else {
      std::stringstream text;
      text << in.rdbuf();
      PROM_ASSIGN_OR_RETURN(ConfigFile file, ParseConfigFile(text.str(), path));
      std::string name = wanted.value_or("");
      if (name.empty()) {
        auto settings = file.find("__settings__");
        if (settings != file.end() && settings->second.contains("default_profile")) {
          name = settings->second.at("default_profile");
        } else {
          name = "DEFAULT";
        }
      }
      auto section = file.find(name);
      if (section == file.end() && wanted) {
        return Fail(ErrorCode::kInvalidArgument, "{} has no [{}] profile configured", path, name);
      }
      if (section != file.end()) {
        for (const auto& attribute : Attributes()) {
          auto value = section->second.find(attribute.key);
          if (value != section->second.end() && (config.*attribute.field).empty()) {
            config.*attribute.field = value->second;
          }
        }
        from_file = fmt::format("profile [{}] of {}", name, path);
      }
    }
  }
  if (!from_env.empty()) {
    config.source = fmt::format("environment variables ({})", fmt::join(from_env, ", "));
    if (!from_file.empty()) config.source += " and " + from_file;
  } else {
    config.source = from_file.empty() ? fmt::format("no environment variables and no profile in {}", path)
                                      : from_file;
  }
  std::string where = from_file.empty() ? "in the environment"
                                        : fmt::format("in the environment or that profile");
  config.host = NormaliseHost(config.host);
  if (config.host.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "Databricks: no workspace host (from {}); set DATABRICKS_HOST {}", config.source,
                from_file.empty() ? "or a host in a ~/.databrickscfg profile" : "or host " + where);
  }
  std::optional<std::string> forced = environment("DATABRICKS_AUTH_TYPE");
  bool pat = !config.token.empty() && (!forced || *forced == "pat");
  bool m2m = !config.client_id.empty() && !config.client_secret.empty() &&
             (!forced || *forced == "oauth-m2m");
  if (pat) {
    config.auth = AuthType::kPat;
    config.fix_hint = from_file.empty() || !config.source.starts_with("profile")
                          ? "set a valid DATABRICKS_TOKEN"
                          : "set a valid token in " + from_file;
  } else if (m2m) {
    config.auth = AuthType::kOAuthM2M;
    config.fix_hint = "set a valid DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET";
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "Databricks: no credentials for {} (from {}); set DATABRICKS_TOKEN, or "
                "DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET, {}",
                config.host, config.source,
                from_file.empty() ? "or a profile in ~/.databrickscfg" : "or token " + where);
  }
  return config;
}

}  // namespace prometheus::databricks
