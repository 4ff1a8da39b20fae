#include "http/errors.h"

#include <nlohmann/json.hpp>

namespace sentinel::http {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kAborted: return 409;
    case ErrorCode::kFailedPrecondition: return 422;
    case ErrorCode::kResourceExhausted: return 413;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kDeadlineExceeded: return 504;
    case ErrorCode::kUnimplemented: return 501;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

namespace {

HttpResponse Build(int status, std::string_view code, const std::string& message, const std::string& field) {
  nlohmann::json err = {{"code", code}, {"message", message}};
  if (!field.empty()) err["field"] = field;
  HttpResponse res;
  res.status = status;
  // replace: a message may quote client bytes that are not UTF-8.
  res.body = nlohmann::json{{"error", err}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

}  // namespace

HttpResponse ErrorResponse(const Error& error) {
  return Build(HttpStatusFor(error.code), ErrorCodeName(error.code), error.message, error.field);
}

HttpResponse ErrorResponse(int status, std::string_view code, const std::string& message) {
  return Build(status, code, message, "");
}

}  // namespace sentinel::http
