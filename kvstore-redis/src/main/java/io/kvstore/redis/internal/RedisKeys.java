package io.kvstore.redis.internal;

import io.kvstore.KvValidationException;
import io.kvstore.spi.BackendNamespace;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key layout. Values are always plain Redis strings, readable with {@code redis-cli GET}.
 *
 * <ul>
 *   <li>{@link io.kvstore.Listing#SCAN} namespaces: a value lives at {@code namespace:key}, as in
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
 */
final class RedisKeys {
  private RedisKeys() {}

  /** The value key of {@code key}, in the layout of the namespace's listing. */
  static String value(BackendNamespace ns, String key) {
    return ns.listing().indexed() ? valuePrefix(ns.name(), partition(ns, key)) + key
        : full(ns.name(), key);
  }

  static String full(String namespace, String key) {
    return namespace + ':' + key;
  }

  static String strip(String namespace, String fullKey) {
    return fullKey.substring(namespace.length() + 1);
  }

  /**
   * The partition of a key of an indexed namespace.
   *
   * @throws KvValidationException if the partition function returns null or throws
   */
  static String partition(BackendNamespace ns, String key) {
    String partition;
    try {
      partition = ns.listing().partition().apply(key);
    } catch (RuntimeException e) {
      throw new KvValidationException("listing", "namespace '" + ns.name()
          + "': the partition function of its listing failed on a key ("
          + e.getClass().getSimpleName() + ")");
    }
    if (partition == null) {
      throw new KvValidationException("listing", "namespace '" + ns.name()
          + "': the partition function of its listing returned null for a key");
    }
    return partition;
  }

  /** <code>{T}:</code>: what every value key of the partition starts with. */
  static String valuePrefix(String namespace, String partition) {
    return tag(namespace, partition) + ':';
  }

  /** <code>{T}/index</code>: the partition's sorted set of keys. */
  static String indexKey(String namespace, String partition) {
    return tag(namespace, partition) + "/index";
  }

  /** <code>{T}/sweep</code>: where the partition's write-time sweep resumes. */
  static String sweepKey(String namespace, String partition) {
    return tag(namespace, partition) + "/sweep";
  }

  /** <code>{T}/migrating</code>: present while a reindex moves keys into the partition. */
  static String migratingKey(String namespace, String partition) {
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
   */
  static String matchPattern(String namespace, String prefix) {
    return literalPattern(full(namespace, prefix));
  }

  /** A SCAN MATCH pattern for the keys starting with {@code literal}. */
  static String literalPattern(String literal) {
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
   * Splits keys into command-sized groups of indices: chunks of {@code max}, and in Cluster, one
   * slot per group because a multi-key command must stay within a slot.
   */
  static List<List<Integer>> groups(List<String> keys, int max, boolean cluster) {
    List<List<Integer>> groups = new ArrayList<>();
    if (!cluster) {
      for (int i = 0; i < keys.size(); i += max) {
        List<Integer> chunk = new ArrayList<>();
        for (int j = i; j < Math.min(keys.size(), i + max); j++) {
          chunk.add(j);
        }
        groups.add(chunk);
      }
      return groups;
    }
    Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      bySlot.computeIfAbsent(SlotHash.getSlot(keys.get(i)), s -> new ArrayList<>()).add(i);
    }
    for (List<Integer> slot : bySlot.values()) {
      for (int i = 0; i < slot.size(); i += max) {
        groups.add(slot.subList(i, Math.min(slot.size(), i + max)));
      }
    }
    return groups;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
