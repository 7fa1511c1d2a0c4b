// The Document implementations, one per format; OpenDocument (document.cc)
// picks one.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/document.h"

namespace prometheus::rewrite::internal {

// A Python script: the module is the file.
Result<std::unique_ptr<Document>> OpenScript(const std::string& path,
                                             std::string text);
// A Databricks notebook source (`.py` export): the module is the file, its
// `%sql` cells are edited through their `# MAGIC` lines.
Result<std::unique_ptr<Document>> OpenDatabricksSource(const std::string& path,
                                                       std::string text);
// A Jupyter notebook: the module joins its Python cells; SQL places are its
// SQL cells.
Result<std::unique_ptr<Document>> OpenIpynb(const std::string& path,
                                            std::string text);
// A .sql file: no module; one SQL place, the file.
std::unique_ptr<Document> OpenSql(std::string text);

// Where a startup setting goes for a notebook that runs on a Databricks
// cluster: the cluster's Spark config, as its form writes it.
std::string ClusterSparkConfig(std::string_view key, std::string_view value);

// Refuses SQL edits in a document that has no SQL places of its own.
Status RequireNoSqlEdits(const DocumentEdits& edits);

}  // namespace prometheus::rewrite::internal
