#pragma once
// GET /openapi.json: the OpenAPI 3.1 description of this API (src/http/openapi.json,
// compiled into the binary). tests/ops/openapi_conformance_test.cc keeps it true
// against the real responses. Registration only.

#include <string_view>

#include "http/router.h"

namespace sentinel::http {

// The document's text.
std::string_view OpenApiDocument();

void AddOpenApiRoute(Router& router);

}  // namespace sentinel::http
