#pragma once
// The one mapping from ErrorCode to HTTP status, and the JSON error body
// {"error": {"code", "message", "field"?}}. Pure functions; thread-safe.

#include "core/base/result.h"
#include "http/message.h"

namespace sentinel::http {

int HttpStatusFor(ErrorCode code);

// The response for an error: its mapped status and JSON body.
HttpResponse ErrorResponse(const Error& error);
// The same with an explicit status (404 unknown path, 405 wrong method ...).
HttpResponse ErrorResponse(int status, std::string_view code, const std::string& message);

}  // namespace sentinel::http
