#include "app/clusters.h"

#include "app/repos.h"
#include "app/runs.h"

namespace sentinel::app {
namespace {

std::string CategoryNames() {
  std::string out;
  for (int i = 0; i <= static_cast<int>(FailureCategory::kUnknown); ++i) {
    if (!out.empty()) out += ", ";
    out += Name(static_cast<FailureCategory>(i));
  }
  return out;
}

}  // namespace

Result<Page<ClusterSummary>> ListClusters(RepoStore& repos, ClusterStore& clusters,
                                          const ListClustersRequest& request) {
  if (Status st = ValidatePage(request.page); !st) return Fail(st.error());
  ClusterFilter filter;
  filter.page = request.page;
  if (request.category) {
    filter.category = ParseFailureCategory(*request.category);
    if (!filter.category) {
      return Fail(ErrorCode::kInvalidArgument,
                  "category '" + *request.category + "' is not one of " + CategoryNames(), "category");
    }
  }
  if (request.repo) {
    auto id = ParseId(*request.repo, "repo");
    if (!id) return Fail(id.error());
    auto repo = repos.Get(*id);
    if (!repo) {
      if (repo.error().code == ErrorCode::kNotFound)
        return Fail(ErrorCode::kNotFound, "no repository with id " + std::to_string(*id), "repo");
      return Fail(repo.error());
    }
    filter.repo_id = *id;
  }
  return clusters.List(filter);
}

Result<ClusterDetail> GetCluster(ClusterStore& clusters, std::int64_t id) { return clusters.Get(id); }

}  // namespace sentinel::app
