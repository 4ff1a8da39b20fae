#include "http/openapi_route.h"

#include <vector>

#include "core/base/embedded.h"

namespace sentinel::openapi {
extern const std::vector<sentinel::EmbeddedFile> kFiles;
}  // namespace sentinel::openapi

namespace sentinel::http {

std::string_view OpenApiDocument() { return openapi::kFiles.at(0).content; }

void AddOpenApiRoute(Router& router) {
  router.Add("GET", "/openapi.json", [](const HttpRequest&) {
    HttpResponse res;
    res.status = 200;
    res.content_type = "application/json";
    res.body = std::string(OpenApiDocument());
    return res;
  });
}

}  // namespace sentinel::http
