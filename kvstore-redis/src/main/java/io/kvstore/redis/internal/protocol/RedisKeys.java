package io.kvstore.redis.internal.protocol;

import io.kvstore.KvValidationException;
import io.kvstore.spi.BackendNamespace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key layout. Values are always plain Redis strings, readable with {@code redis-cli GET}.
 *
 * <ul>
 *   <li>{@link io.kvstore.Listing#UNINDEXED} namespaces: a value lives at {@code namespace:key}, as in
 *       {@code workout:user-42:w01:d1}.
 *   <li>Indexed namespaces: keys are grouped by partition (the listing's partition function
 *       applied to the key), and everything of one partition shares a Cluster hash tag, so the
 *       index and the values it lists are in one slot and one script can touch them atomically.
 *       With tag {@code T} = the namespace when the partition is {@code ""} (always, for
 *       {@link io.kvstore.Listing#INDEXED}), else {@code namespace:partition}:
 *       <ul>
 *         <li>value: <code>{T}:key</code>, as in <code>{workout}:user-42:w01:d1</code> or, with
 *             {@code indexedBy(firstSegment(':'))}, <code>{workout:user-42}:user-42:w01:d1</code>;
 *         <li>index (a sorted set of keys, all scored 0): <code>{T}/index</code>;
 *         <li>sweep position (a string, the last index member the write-time sweep examined):
 *             <code>{T}/sweep</code>;
 *         <li>while {@code reindex()} migrates the namespace: <code>{T}/migrating</code> and a
 *             fence <code>{T}/fence:key</code> per key written meanwhile, both expiring.
 *       </ul>
 * </ul>
 *
 * <p>Namespace names never contain {@code :}, <code>{</code> or <code>}</code>, so the first colon
 * ends the namespace of a SCAN key, no SCAN key starts with <code>{</code>, and the first
 * <code>}</code> of an indexed key ends its tag. A partition is written percent-encoded for
 * {@code %} and <code>}</code> only, so it can never end the tag early: the tag is exactly
 * {@code T}, and different partitions never share a key name.
 *
 * <p>Every key name is built here, except inside the indexed layout's Lua scripts, which derive a
 * partition's {@code /migrating} and {@code /fence:} keys from the value prefix they are given
 * ({@code helpers.lua}, {@code move-in.lua}): change those names in both places.
 */
public final class RedisKeys {
  private RedisKeys() {}

  /**
   * The value key of {@code key}, in the layout of the namespace's listing.
   *
   * @param ns the namespace
   * @param key the key, without namespace
   * @return the Redis key of its value
   * @throws KvValidationException if the partition function of an indexed namespace fails
   */
  public static String value(BackendNamespace ns, String key) {
    return ns.listing().indexed() ? valuePrefix(ns.name(), ns.partitionOf(key)) + key
        : full(ns.name(), key);
  }

  /**
   * The Redis key of {@code key} in the SCAN layout.
   *
   * @param namespace the namespace
   * @param key the key, without namespace
   * @return {@code namespace:key}
   */
  public static String full(String namespace, String key) {
    return namespace + ':' + key;
  }

  /**
   * The key of a SCAN-layout Redis key of the namespace, without the namespace.
   *
   * @param namespace the namespace
   * @param fullKey a Redis key of the namespace
   * @return the key, without namespace
   * @throws IllegalStateException if the Redis key is not one of the namespace's: cutting the
   *     namespace's length off another key would pass it off as one (a bug, never input)
   */
  public static String strip(String namespace, String fullKey) {
    if (!fullKey.startsWith(namespace) || fullKey.length() <= namespace.length()
        || fullKey.charAt(namespace.length()) != ':') {
      throw new IllegalStateException("a Redis key outside namespace '" + namespace
          + "' reached the listing");
    }
    return fullKey.substring(namespace.length() + 1);
  }

  /**
   * <code>{T}:</code>: what every value key of the partition starts with.
   *
   * @param namespace the namespace
   * @param partition the partition
   * @return the prefix
   */
  public static String valuePrefix(String namespace, String partition) {
    return valuePrefixOfTag(tag(namespace, partition));
  }

  /**
   * <code>{T}/index</code>: the partition's sorted set of keys.
   *
   * @param namespace the namespace
   * @param partition the partition
   * @return the index key
   */
  public static String indexKey(String namespace, String partition) {
    return indexKeyOfTag(tag(namespace, partition));
  }

  /**
   * <code>{T}/sweep</code>: where the partition's write-time sweep resumes.
   *
   * @param namespace the namespace
   * @param partition the partition
   * @return the sweep key
   */
  public static String sweepKey(String namespace, String partition) {
    return tag(namespace, partition) + "/sweep";
  }

  /**
   * <code>{T}/migrating</code>: present while a reindex moves keys into the partition.
   *
   * @param namespace the namespace
   * @param partition the partition
   * @return the migrating key
   */
  public static String migratingKey(String namespace, String partition) {
    return tag(namespace, partition) + "/migrating";
  }

  private static String tag(String namespace, String partition) {
    if (partition.isEmpty()) {
      return '{' + namespace + '}';
    }
    return '{' + namespace + ':' + partition.replace("%", "%25").replace("}", "%7D") + '}';
  }

  /**
   * Builds a SCAN MATCH pattern that matches exactly the keys starting with the literal
   * {@code namespace:prefix}. Every glob metacharacter is escaped, so a tenant id such as
   * {@code a*} can never widen the match to another tenant's keys.
   *
   * @param namespace the namespace
   * @param prefix the literal prefix of the keys, without namespace
   * @return the pattern
   */
  public static String matchPattern(String namespace, String prefix) {
    return literalPattern(full(namespace, prefix));
  }

  /**
   * A SCAN MATCH pattern for the keys starting with {@code literal}.
   *
   * @param literal the literal prefix
   * @return the pattern
   */
  public static String literalPattern(String literal) {
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

  /**
   * Indices of keys grouped by the partition of an indexed namespace, in first-seen order.
   *
   * @param ns the namespace
   * @param keys the keys, without namespace
   * @return per partition, the indices of its keys in {@code keys}
   * @throws KvValidationException if the partition function fails on a key
   */
  public static Map<String, List<Integer>> byPartition(BackendNamespace ns, List<String> keys) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      groups.computeIfAbsent(ns.partitionOf(keys.get(i)), p -> new ArrayList<>()).add(i);
    }
    return groups;
  }

  /**
   * A SCAN MATCH pattern for every key of the namespace's indexed layout, of any partition.
   *
   * @param namespace the namespace
   * @return the pattern
   */
  public static String indexedPattern(String namespace) {
    return literalPattern("{" + namespace);
  }

  /**
   * The tag <code>{T}</code> of a value key of the namespace's indexed layout, or {@code null} if
   * the key is not one (another namespace whose name starts alike, or an index, sweep, migrating
   * or fence key, which have {@code /} right after the tag where a value key has {@code :}).
   *
   * @param namespace the namespace
   * @param key a Redis key
   * @return its tag, or {@code null}
   */
  public static String tagOfValueKey(String namespace, String key) {
    String open = "{" + namespace;
    if (!key.startsWith(open) || key.length() <= open.length()
        || (key.charAt(open.length()) != '}' && key.charAt(open.length()) != ':')) {
      return null;
    }
    int close = key.indexOf('}');
    return key.startsWith("}:", close) && close + 2 < key.length()
        ? key.substring(0, close + 1) : null;
  }

  /**
   * The prefixes of every value key of a namespace, whatever its listing: {@code ns:} (SCAN
   * layout), <code>{ns}:</code> ({@code INDEXED}) and <code>{ns:</code> (partitions, whose index
   * and sweep keys match it too). No two namespaces' prefixes overlap, nor do these three, since
   * names hold no {@code :}, <code>{</code> or <code>}</code>: what server-side tracking asks of
   * one client's prefixes.
   *
   * @param namespace the namespace
   * @return the prefixes
   */
  public static List<String> trackingPrefixes(String namespace) {
    return List.of(namespace + ':', '{' + namespace + "}:", '{' + namespace + ':');
  }

  /**
   * A value key's namespace and key, in any layout.
   *
   * @param namespace the namespace
   * @param key the key, without namespace
   */
  public record Owned(String namespace, String key) {}

  /**
   * Reads a Redis key back as a namespace's key: the inverse of {@link #value}.
   *
   * @param redisKey a Redis key
   * @return its namespace and key, or {@code null} if it is no value key (an index, sweep,
   *     migrating or fence key, or a key of no namespace)
   */
  public static Owned ownerOf(String redisKey) {
    if (redisKey.startsWith("{")) {
      int close = redisKey.indexOf('}');
      if (close < 0) {
        return null;
      }
      String tag = redisKey.substring(1, close);
      int colon = tag.indexOf(':');
      String namespace = colon < 0 ? tag : tag.substring(0, colon);
      return namespace.isEmpty() || tagOfValueKey(namespace, redisKey) == null ? null
          : new Owned(namespace, redisKey.substring(close + 2));
    }
    int colon = redisKey.indexOf(':');
    return colon <= 0 || colon + 1 >= redisKey.length() ? null
        : new Owned(redisKey.substring(0, colon), redisKey.substring(colon + 1));
  }

  /**
   * <code>{T}/index</code> of a tag from {@link #tagOfValueKey}.
   *
   * @param tag the tag
   * @return the index key
   */
  public static String indexKeyOfTag(String tag) {
    return tag + "/index";
  }

  /**
   * <code>{T}:</code> of a tag from {@link #tagOfValueKey}.
   *
   * @param tag the tag
   * @return the prefix
   */
  public static String valuePrefixOfTag(String tag) {
    return tag + ':';
  }

  /**
   * A string as Redis gets it.
   *
   * @param s the string
   * @return its UTF-8 bytes
   */
  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
