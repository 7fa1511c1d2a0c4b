// Timestamps, sizes and durations as the reports print them.
#include "prometheus/report/format.h"

#include <gtest/gtest.h>

namespace prometheus::report {
namespace {

TEST(FormatTimestampTest, Epoch) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
}

TEST(FormatTimestampTest, KnownValues) {
  // The submission time of a stage in Spark's local-1422981780767 log.
  EXPECT_EQ(FormatTimestamp(1422981787191), "2015-02-03T16:43:07.191Z");
  EXPECT_EQ(FormatTimestamp(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(1709210096789), "2024-02-29T12:34:56.789Z");
}

TEST(FormatTimestampTest, PadsEveryField) {
  // 2001-02-03T04:05:06.007Z: every field needs its leading zero.
  EXPECT_EQ(FormatTimestamp(981173106007), "2001-02-03T04:05:06.007Z");
}

TEST(FormatTimestampTest, LastMillisecondOfDay) {
  EXPECT_EQ(FormatTimestamp(86399999), "1970-01-01T23:59:59.999Z");
  EXPECT_EQ(FormatTimestamp(86400000), "1970-01-02T00:00:00.000Z");
}

TEST(FormatTimestampTest, BeforeEpochRoundsDayDown) {
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59.999Z");
}

TEST(FormatBytesTest, WholeBytesBelowOneKiB) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1), "1 B");
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
}

TEST(FormatBytesTest, BinaryUnitsWithOneDecimal) {
  EXPECT_EQ(FormatBytes(1024), "1.0 KiB");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB");
  EXPECT_EQ(FormatBytes(1024.0 * 1024), "1.0 MiB");
  EXPECT_EQ(FormatBytes(3.1 * 1024 * 1024), "3.1 MiB");
  EXPECT_EQ(FormatBytes(1024.0 * 1024 * 1024), "1.0 GiB");
  EXPECT_EQ(FormatBytes(48.2 * 1024 * 1024 * 1024), "48.2 GiB");
  EXPECT_EQ(FormatBytes(2.0 * 1024 * 1024 * 1024 * 1024), "2.0 TiB");
  EXPECT_EQ(FormatBytes(1024.0 * 1024 * 1024 * 1024 * 1024), "1.0 PiB");
}

TEST(FormatBytesTest, PebibytesIsTheLargestUnit) {
  EXPECT_EQ(FormatBytes(2048.0 * 1024 * 1024 * 1024 * 1024 * 1024),
            "2048.0 PiB");
}

TEST(FormatBytesTest, NegativeUsesSameUnits) {
  EXPECT_EQ(FormatBytes(-2048), "-2.0 KiB");
}

TEST(FormatDurationTest, MillisecondsBelowOneSecond) {
  EXPECT_EQ(FormatDuration(0), "0 ms");
  EXPECT_EQ(FormatDuration(850), "850 ms");
  EXPECT_EQ(FormatDuration(999), "999 ms");
}

TEST(FormatDurationTest, SecondsWithOneDecimalBelowOneMinute) {
  EXPECT_EQ(FormatDuration(1000), "1.0 s");
  EXPECT_EQ(FormatDuration(12300), "12.3 s");
  EXPECT_EQ(FormatDuration(59900), "59.9 s");
}

TEST(FormatDurationTest, MinutesAndZeroPaddedSeconds) {
  EXPECT_EQ(FormatDuration(60000), "1m 00s");
  EXPECT_EQ(FormatDuration(245000), "4m 05s");
  EXPECT_EQ(FormatDuration(245999), "4m 05s");  // truncated, not rounded
  EXPECT_EQ(FormatDuration(3599999), "59m 59s");
}

TEST(FormatTest, RoundingNeverShowsAFullUnitInTheSmallerOne) {
  EXPECT_EQ(FormatDuration(999.6), "1.0 s");
  EXPECT_EQ(FormatDuration(59960), "1m 00s");
  EXPECT_EQ(FormatBytes(1048575), "1.0 MiB");
}

TEST(FormatDurationTest, HoursAndZeroPaddedMinutes) {
  EXPECT_EQ(FormatDuration(3600000), "1h 00m");
  EXPECT_EQ(FormatDuration(7380000), "2h 03m");
  EXPECT_EQ(FormatDuration(100.0 * 3600000 + 59 * 60000), "100h 59m");
}

}  // namespace
}  // namespace prometheus::report
