/**
 * Regressions: each test here reproduces a defect that was found and fixed (a race, an overflow,
 * a hang, a stale near cache), kept apart from the tests that specify behaviour so a reader sees
 * which tests guard against a known failure coming back. A test's Javadoc says what used to go
 * wrong and why it cannot now.
 */
package io.kvstore.regressions;
