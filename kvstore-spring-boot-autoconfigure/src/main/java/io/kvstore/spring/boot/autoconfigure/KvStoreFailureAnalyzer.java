package io.kvstore.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a start-up that failed because Redis did not answer, and the three ways out. */
final class KvStoreFailureAnalyzer extends AbstractFailureAnalyzer<RedisUnreachableException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, RedisUnreachableException cause) {
    RedisTarget target = cause.target();
    return new FailureAnalysis(
        "kvstore could not reach " + target.describe() + ", configured by " + target.property()
            + ": " + cause.getCause().getMessage(),
        "Start Redis or correct " + target.property() + ". To start without Redis and report"
            + " kvstore DOWN in /actuator/health until it answers, set"
            + " kvstore.redis.fail-fast=false.",
        cause);
  }
}
