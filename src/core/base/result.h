#pragma once
// Errors as values. Every fallible function returns Result<T> (or Status for
// no value); exceptions from libraries are caught at the adapter edge and
// turned into an Error. The ErrorCode says what the caller should do next;
// http/ maps it to a status code in exactly one place.

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace sentinel {

enum class ErrorCode {
  kInvalidArgument,     // bad input; fix the request (400)
  kNotFound,            // no such entity (404)
  kAlreadyExists,       // conflicts with existing state (409)
  kAborted,             // lost a race or a stale fencing token; re-read and retry higher up (409)
  kFailedPrecondition,  // the state forbids it; don't retry until it changes (422)
  kResourceExhausted,   // too large / over a limit (413)
  kUnavailable,         // a dependency is down; retry this call (503)
  kDeadlineExceeded,    // took too long (504)
  kUnimplemented,       // not available in this build (501)
  kInternal,            // a bug (500)
};

// snake_case name, used as the "code" of API errors.
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // a human sentence
  std::string field;    // the offending input field or setting key, if any
};

template <class T>
using Result = tl::expected<T, Error>;
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> Fail(ErrorCode code, std::string message, std::string field = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(field)});
}
inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

inline Status Ok() { return {}; }

}  // namespace sentinel
