package io.kvstore.spi;

import io.kvstore.KvValidationException;
import java.time.Duration;

/**
 * The checks option builders share, kvstore's own and an adapter's, so the same rule is worded
 * the same way everywhere: the message names the option, the value given and the rule
 * ("scanCount is 0; it must be >= 1"). Stateless and thread-safe.
 */
public final class OptionChecks {
  private OptionChecks() {}

  /**
   * Checks a setting that must be given.
   *
   * @param option the option's name, for the message
   * @param value the value
   * @param <T> the value's type
   * @return the value
   * @throws KvValidationException if {@code value} is null
   */
  public static <T> T notNull(String option, T value) {
    if (value == null) {
      throw new KvValidationException(option, option + " must not be null");
    }
    return value;
  }

  /**
   * Checks a positive duration.
   *
   * @param option the option's name, for the message
   * @param value the value
   * @return the value
   * @throws KvValidationException if {@code value} is null, zero or negative
   */
  public static Duration positive(String option, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new KvValidationException(option, option + " is " + value + "; it must be positive");
    }
    return value;
  }

  /**
   * Checks a duration that may be zero but not negative.
   *
   * @param option the option's name, for the message
   * @param value the value
   * @return the value
   * @throws KvValidationException if {@code value} is null or negative
   */
  public static Duration notNegative(String option, Duration value) {
    if (value == null || value.isNegative()) {
      throw new KvValidationException(option, option + " is " + value + "; it must be >= 0");
    }
    return value;
  }

  /**
   * Checks an {@code int} that may be zero but not negative.
   *
   * @param option the option's name, for the message
   * @param value the value
   * @return the value
   * @throws KvValidationException if {@code value < 0}
   */
  public static int notNegative(String option, int value) {
    if (value < 0) {
      throw new KvValidationException(option, option + " is " + value + "; it must be >= 0");
    }
    return value;
  }

  /**
   * Checks a count of at least one.
   *
   * @param option the option's name, for the message
   * @param value the value
   * @return the value
   * @throws KvValidationException if {@code value < 1}
   */
  public static long atLeastOne(String option, long value) {
    if (value < 1) {
      throw new KvValidationException(option, option + " is " + value + "; it must be >= 1");
    }
    return value;
  }

  /**
   * Checks an {@code int} count of at least one.
   *
   * @param option the option's name, for the message
   * @param value the value
   * @return the value
   * @throws KvValidationException if {@code value < 1}
   */
  public static int atLeastOne(String option, int value) {
    return Math.toIntExact(atLeastOne(option, (long) value));
  }
}
