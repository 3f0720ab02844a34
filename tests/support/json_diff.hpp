#pragma once
// Comparing a parsed form's JSON with what a test expects, with a failure
// message that names each differing field: "/provider/name: expected X, got Y".

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ispd::test {

::testing::AssertionResult same_json(const nlohmann::json& expected, const nlohmann::json& actual);

}  // namespace ispd::test
