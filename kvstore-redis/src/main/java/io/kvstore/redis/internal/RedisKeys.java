package io.kvstore.redis.internal;

import java.nio.charset.StandardCharsets;

/**
 * The key layout: a value lives at {@code namespace + ":" + key} as a plain Redis string, readable
 * with {@code redis-cli GET workout:user-42:w01:d1}. Namespace names never contain {@code :}, so
 * the first colon always ends the namespace and two namespaces never share a key.
 */
final class RedisKeys {
  private RedisKeys() {}

  static String full(String namespace, String key) {
    return namespace + ':' + key;
  }

  static String strip(String namespace, String fullKey) {
    return fullKey.substring(namespace.length() + 1);
  }

  /**
   * Builds a SCAN MATCH pattern that matches exactly the keys starting with the literal
   * {@code namespace:prefix}. Every glob metacharacter is escaped, so a tenant id such as
   * {@code a*} can never widen the match to another tenant's keys.
   */
  static String matchPattern(String namespace, String prefix) {
    String literal = full(namespace, prefix);
    StringBuilder pattern = new StringBuilder(literal.length() + 8);
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
        pattern.append('\\');
      }
      pattern.append(c);
    }
    return pattern.append('*').toString();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
