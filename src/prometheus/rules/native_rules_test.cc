// The scope every recommendation of an application shares: where its job
// lives in the code, so that a setting goes in that job's file.
#include "prometheus/rules/native_rules.h"

#include <gtest/gtest.h>

#include "prometheus/rules/recommendation.h"

namespace prometheus::rules {
namespace {

model::Application Submitted(std::string java_command) {
  model::Application app;
  app.java_command = std::move(java_command);
  return app;
}

TEST(EntryPoint, IsTheNotebookPathOrThePythonFileTheDriverWasSubmittedWith) {
  // spark-submit, as sun.java.command records it (the shared log's shape).
  EXPECT_EQ(EntryPointOf(Submitted(
                "org.apache.spark.deploy.SparkSubmit --conf "
                "spark.executor.heartbeatInterval=100ms "
                "./opt/examples/src/main/python/mllib/kmeans.py --k 3")),
            "./opt/examples/src/main/python/mllib/kmeans.py");
  // YARN cluster mode: the ApplicationMaster's --primary-py-file.
  EXPECT_EQ(EntryPointOf(Submitted(
                "org.apache.spark.deploy.yarn.ApplicationMaster --class "
                "org.apache.spark.deploy.PythonRunner --primary-py-file pi.py "
                "--arg 100")),
            "pi.py");
  // A Jupyter kernel or a shell names no file.
  EXPECT_EQ(EntryPointOf(Submitted("org.apache.spark.deploy.SparkSubmit "
                                   "--master local[2] pyspark-shell")),
            "");
  model::Application notebook = Submitted("com.databricks.backend.Driver");
  notebook.notebook_path = "/Repos/u/etl/daily_load";
  EXPECT_EQ(EntryPointOf(notebook), "/Repos/u/etl/daily_load");
}

TEST(EntryPoint, TheScopeJsonCarriesItAndTheCallSitesOfSettings) {
  Recommendation r;
  r.rule = "shuffle_partitions";
  EXPECT_TRUE(ToJson(r)["scope"]["entry_point"].is_null());
  EXPECT_FALSE(ToJson(r)["scope"].contains("call_sites"));
  r.scope.entry_point = "jobs/daily.py";
  r.scope.call_sites = {{"daily.py", 12}, {"lib/io.py", std::nullopt}};
  auto scope = ToJson(r)["scope"];
  EXPECT_EQ(scope["entry_point"], "jobs/daily.py");
  ASSERT_EQ(scope["call_sites"].size(), 2u);
  EXPECT_EQ(scope["call_sites"][0]["file"], "daily.py");
  EXPECT_EQ(scope["call_sites"][0]["line"], 12);
  EXPECT_TRUE(scope["call_sites"][1]["line"].is_null());
}

}  // namespace
}  // namespace prometheus::rules
