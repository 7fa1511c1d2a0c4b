// Spark 2's structured plan (sparkPlanInfo) stops at InMemoryTableScan: the
// cached relation's own plan is printed only in the physical plan text. This
// reads that text tree back into nodes (names and strings, no metrics).
#include <memory>

#include "prometheus/plan/internal/plan_text.h"

namespace prometheus::plan::internal {
namespace {

struct TextNode {
  size_t indent = 0;
  model::PlanNode node;
  std::vector<std::unique_ptr<TextNode>> children;
};

model::PlanNode ToPlanNode(TextNode& text) {
  model::PlanNode node = std::move(text.node);
  for (auto& child : text.children) node.children.push_back(ToPlanNode(*child));
  return node;
}

// "*(5) Project [a#1]" -> name "Project", string "Project [a#1]".
model::PlanNode ParseOperator(std::string_view text) {
  if (text.starts_with("*(")) {
    size_t close = text.find(") ");
    if (close != std::string_view::npos) text.remove_prefix(close + 2);
  }
  model::PlanNode node;
  node.simple_string = text;
  node.node_name = text.substr(0, text.find_first_of(" (["));
  return node;
}

void FindCachedRelations(model::PlanNode& node,
                         std::vector<model::PlanNode>& out) {
  if (node.node_name == "InMemoryRelation") {
    for (auto& child : node.children) out.push_back(std::move(child));
    return;
  }
  for (auto& child : node.children) FindCachedRelations(child, out);
}

}  // namespace

std::vector<model::PlanNode> CachedPlansFromText(
    std::string_view physical_plan) {
  constexpr std::string_view kHeader = "== Physical Plan ==\n";
  size_t start = physical_plan.find(kHeader);
  if (start == std::string_view::npos) return {};
  std::string_view text = physical_plan.substr(start + kHeader.size());
  TextNode root;
  bool have_root = false;
  // (indent, node) of the open ancestors of the next line.
  std::vector<TextNode*> open;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view()
                                         : text.substr(end + 1);
    if (line.starts_with("== ")) break;  // the next section
    size_t marker = line.find_first_not_of(" :|");
    if (marker == std::string_view::npos) continue;
    bool child = line.substr(marker).starts_with("+- ") ||
                 line.substr(marker).starts_with(":- ");
    if (!have_root) {
      if (child) continue;
      root.node = ParseOperator(Trim(line));
      open.push_back(&root);
      have_root = true;
      continue;
    }
    if (!child) continue;  // a wrapped line of the previous operator
    size_t indent = marker + 1;
    while (open.size() > 1 && open.back()->indent >= indent) open.pop_back();
    auto node = std::make_unique<TextNode>();
    node->indent = indent;
    node->node = ParseOperator(Trim(line.substr(marker + 3)));
    TextNode* added = node.get();
    open.back()->children.push_back(std::move(node));
    open.push_back(added);
  }
  if (!have_root) return {};
  model::PlanNode tree = ToPlanNode(root);
  std::vector<model::PlanNode> cached;
  FindCachedRelations(tree, cached);
  return cached;
}

}  // namespace prometheus::plan::internal
