#pragma once
// Use cases for failure clusters: list (filters as the client gave them) and
// get one with its runs. Thin over ClusterStore/RepoStore; thread-safe as the
// stores are.

#include <cstdint>
#include <optional>
#include <string>

#include "core/base/result.h"
#include "ports/cluster_store.h"
#include "ports/repo_store.h"

namespace sentinel::app {

struct ListClustersRequest {
  std::optional<std::string> category;  // a failure category name (CONTRACT.md section 4)
  std::optional<std::string> repo;      // a repository id
  ListQuery page;
};

// Newest last_seen first. kInvalidArgument naming the field for a bad
// category, repo, limit or cursor; kNotFound (field "repo") for an id of no
// repository.
[[nodiscard]] Result<Page<ClusterSummary>> ListClusters(RepoStore& repos, ClusterStore& clusters,
                                                        const ListClustersRequest& request);

// kNotFound (field "id") when absent.
[[nodiscard]] Result<ClusterDetail> GetCluster(ClusterStore& clusters, std::int64_t id);

}  // namespace sentinel::app
