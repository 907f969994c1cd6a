package io.kvstore;

import java.time.Duration;

/**
 * The checks option builders share, so the same rule is worded the same way everywhere: the
 * message names the option, the value given and the rule ("scanCount is 0; it must be >= 1").
 */
final class Checks {
  private Checks() {}

  static <T> T notNull(String option, T value) {
    if (value == null) {
      throw new KvValidationException(option, option + " must not be null");
    }
    return value;
  }

  static Duration positive(String option, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new KvValidationException(option, option + " is " + value + "; it must be positive");
    }
    return value;
  }

  static Duration notNegative(String option, Duration value) {
    if (value == null || value.isNegative()) {
      throw new KvValidationException(option, option + " is " + value + "; it must be >= 0");
    }
    return value;
  }

  static long atLeastOne(String option, long value) {
    if (value < 1) {
      throw new KvValidationException(option, option + " is " + value + "; it must be >= 1");
    }
    return value;
  }
}
