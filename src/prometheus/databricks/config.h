// Where a Databricks workspace is and how to sign in, resolved the way the
// SDKs and the CLI do it (unified client auth): environment variables first,
// then a profile of ~/.databrickscfg.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "prometheus/base/result.h"

namespace prometheus::databricks {

enum class AuthType { kPat, kOAuthM2M };

struct Config {
  std::string host;  // "https://name", no trailing '/'
  AuthType auth = AuthType::kPat;
  std::string token;          // a secret: never printed
  std::string client_id;
  std::string client_secret;  // a secret: never printed
  std::string warehouse_id;
  // Where the settings came from, for messages: "environment variables
  // (DATABRICKS_HOST, DATABRICKS_TOKEN)", "profile [prod] of /root/.databrickscfg".
  std::string source;
  // What to set to fix a refused credential, for messages.
  std::string fix_hint;
};

// A `.databrickscfg` as sections of key-value pairs. '#' or ';' starts a
// comment line; '#' after a space ends a value (a token may hold '#').
using ConfigFile = std::map<std::string, std::map<std::string, std::string>>;
Result<ConfigFile> ParseConfigFile(std::string_view text, const std::string& path);

// Reads an environment variable; the process environment by default.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
Environment ProcessEnvironment();

// Resolves the configuration: DATABRICKS_HOST, DATABRICKS_TOKEN,
// DATABRICKS_CLIENT_ID/SECRET, DATABRICKS_AUTH_TYPE, DATABRICKS_WAREHOUSE_ID;
// the file (DATABRICKS_CONFIG_FILE, else $HOME/.databrickscfg) is read when
// a profile is asked for (`profile`, else DATABRICKS_CONFIG_PROFILE) or when
// the environment sets neither host nor credentials; its profile is the one
// asked for, else [__settings__] default_profile, else DEFAULT. The
// environment wins over the file. A missing host or credential, or a missing
// profile that was asked for, is kInvalidArgument in one line that says which
// source was used and what to set.
Result<Config> ResolveConfig(const Environment& environment,
                             const std::optional<std::string>& profile);

}  // namespace prometheus::databricks
