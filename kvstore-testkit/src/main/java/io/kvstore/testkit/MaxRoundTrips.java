package io.kvstore.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The most round trips a JUnit 5 test body may make, checked by a registered
 * {@link KvRoundTripBudget}. On a test method it applies to that test; on a test class, to every
 * test of the class that has none of its own.
 *
 * <pre>{@code
 * @Test
 * @MaxRoundTrips(2)
 * void dashboardReadsAllWorkoutsInTwoRoundTrips() {
 *   service.dashboard("user-42");
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface MaxRoundTrips {
  /**
   * Returns the budget.
   *
   * @return the most round trips the test body may make, zero or more
   */
  long value();
}
