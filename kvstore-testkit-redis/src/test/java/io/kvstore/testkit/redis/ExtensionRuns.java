package io.kvstore.testkit.redis;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs a test class through the real Jupiter engine, to see what the extension made of it. */
final class ExtensionRuns {
  private ExtensionRuns() {}

  static EngineExecutionResults run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
  }

  /** The messages of every failed test or container, outermost cause only. */
  static List<String> failures(EngineExecutionResults results) {
    return results.allEvents().failed().stream().map(ExtensionRuns::message).toList();
  }

  private static String message(Event event) {
    return event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
        .map(Throwable::getMessage).orElse("");
  }
}
