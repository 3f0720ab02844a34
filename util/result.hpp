#pragma once
// A value or a message a person can act on. Expected failures (a bad file,
// a malformed mail, an unreadable date) are values, not exceptions. util/ is
// the one folder every part may include; it knows nothing of ispd.

#include <string>
#include <utility>
#include <variant>

namespace ispd {

struct Error {
  std::string message;
};

// The value of a Result that only says an action worked: Result<Done>.
struct Done {};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const T& value() const& { return std::get<T>(v_); }
  [[nodiscard]] T& value() & { return std::get<T>(v_); }
  [[nodiscard]] T&& value() && { return std::get<T>(std::move(v_)); }
  [[nodiscard]] const T& operator*() const& { return value(); }
  [[nodiscard]] const T* operator->() const { return &value(); }
  [[nodiscard]] const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace ispd
