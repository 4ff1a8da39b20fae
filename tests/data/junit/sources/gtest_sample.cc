#include <gtest/gtest.h>

TEST(MathTest, Adds) { EXPECT_EQ(2, 1 + 1); }
TEST(MathTest, FailsCompare) { EXPECT_EQ(3, 1 + 1) << "sum is wrong & <odd>"; }
TEST(MathTest, Skipped) { GTEST_SKIP() << "not on this machine"; }
TEST(StringTest, Passes) { EXPECT_EQ(std::string("a"), "a"); }
TEST(StringTest, TwoFailures) {
  EXPECT_TRUE(false);
  EXPECT_EQ(1, 2);
}
class ParamTest : public ::testing::TestWithParam<int> {};
TEST_P(ParamTest, IsSmall) { EXPECT_LT(GetParam(), 2); }
INSTANTIATE_TEST_SUITE_P(Values, ParamTest, ::testing::Values(0, 1, 2));
TEST(DISABLED_Never, Runs) {}
#include <chrono>
#include <thread>
TEST(SlowTest, Sleeps) { std::this_thread::sleep_for(std::chrono::milliseconds(25)); }
