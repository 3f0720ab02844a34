// Each part of the daemon logs under its own name, a fixed message with key=value fields.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "daemon/jobs/logs.hpp"

namespace ispd::logs {
namespace {

using ::testing::HasSubstr;

class LogsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
    for (const char* part : {"daemon", "mail", "intake", "send", "schedule", "store"}) spdlog::drop(part);
  }
  void TearDown() override {
    for (const char* part : {"daemon", "mail", "intake", "send", "schedule", "store"}) spdlog::drop(part);
    spdlog::set_default_logger(previous_);
  }

  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(LogsTest, EachPartLogsUnderItsOwnName) {
  mail()->info("poll done seen={} processed={}", 3, 2);
  send()->warn("recipient refused id={} code={}", 7, 550);
  schedule()->error("daily job failed error=\"{}\"", "disk full");
  intake()->info("notification closed by reply ref={}", "ISP-2026-0001");
  daemon()->info("stopped");
  store()->info("opened");
  const std::string text = out_.str();
  EXPECT_THAT(text, HasSubstr("[mail] [info] poll done seen=3 processed=2"));
  EXPECT_THAT(text, HasSubstr("[send] [warning] recipient refused id=7 code=550"));
  EXPECT_THAT(text, HasSubstr("[schedule] [error] daily job failed error=\"disk full\""));
  EXPECT_THAT(text, HasSubstr("[intake] [info] notification closed by reply ref=ISP-2026-0001"));
  EXPECT_THAT(text, HasSubstr("[daemon] [info] stopped"));
  EXPECT_THAT(text, HasSubstr("[store] [info] opened"));
}

TEST_F(LogsTest, APartsLoggerIsMadeOnceAndKept) {
  EXPECT_EQ(mail().get(), mail().get());
  EXPECT_NE(mail().get(), send().get());
}

}  // namespace
}  // namespace ispd::logs
