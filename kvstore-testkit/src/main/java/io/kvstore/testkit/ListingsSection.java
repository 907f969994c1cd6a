package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.KvCodec;
import io.kvstore.KvEntry;
import io.kvstore.KvNamespace;
import io.kvstore.KvPage;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.KvStoreContract.Sample;
import io.kvstore.testkit.internal.Fixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code KvStoreContract.Listings}, run there as a {@code @Nested} section on
 * the contract's fixture: {@code list}, {@code listValues}, {@code scanValues}: prefixes, pages,
 * cursors.
 */
abstract class ListingsSection extends ContractSection {
  private boolean listsInOrder() {
    return Fixtures.listsInOrder(fixture, Fixtures.listing(fixture));
  }

  private static <T> List<List<T>> chunks(List<T> list, int size) {
    List<List<T>> chunks = new ArrayList<>();
    for (int i = 0; i < list.size(); i += size) {
      chunks.add(list.subList(i, Math.min(list.size(), i + size)));
    }
    return chunks;
  }

  /** One value at {@code count} keys, the i-th named {@code key.apply(i)}, in that order. */
  private static Map<String, Sample> sameValueAt(int count, IntFunction<String> key,
      Sample value) {
    Map<String, Sample> data = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      data.put(key.apply(i), value);
    }
    return data;
  }

  private static Set<String> listedNames(BlockingKvNamespace<Sample> ns, String prefix) {
    return ns.scanValues(prefix).map(KvEntry::key).collect(Collectors.toSet());
  }

  /**
   * Walks a listing page by page until a page is complete, each page after the cursor of the one
   * before; fails if a page holds more than the limit.
   *
   * @param options the first page's options
   * @param list lists one page
   * @param items what a page holds
   * @param cursor a page's cursor, empty when it is complete
   * @return the items of every page, in the order listed
   */
  private static <P, T> List<T> walk(ListOptions options, Function<ListOptions, P> list,
      Function<P, List<T>> items, Function<P, Optional<String>> cursor) {
    List<T> seen = new ArrayList<>();
    P page = list.apply(options);
    while (true) {
      int size = items.apply(page).size();
      assertTrue(size <= options.limit(), () -> "page of " + size + ", limit " + options.limit());
      seen.addAll(items.apply(page));
      Optional<String> next = cursor.apply(page);
      if (next.isEmpty()) {
        return seen;
      }
      page = list.apply(options.cursor(next.get()));
    }
  }

  @Test
  void listingReturnsOnlyThePrefixInOrder() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    ns.putAll(workoutsOf("user-3", 8));
    ns.putAll(workoutsOf("user-30", 3));
    ns.putAll(workoutsOf("user-4", 3));
    KvPage page = ns.list(ListOptions.prefix("user-3:"));
    assertTrue(page.complete());
    List<String> expected = new ArrayList<>(workoutsOf("user-3", 8).keySet());
    Collections.sort(expected);
    List<String> names = page.names();
    if (!listsInOrder()) {
      names = new ArrayList<>(names);
      Collections.sort(names);
    }
    assertEquals(expected, names);
  }

  @Test
  void paginationWalksEveryKeyExactlyOnce() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    Sample w = Sample.of("p", 1, 1);
    Map<String, Sample> data = sameValueAt(2500, i -> String.format("p:%05d", i), w);
    for (List<String> chunk : chunks(new ArrayList<>(data.keySet()), 500)) {
      ns.putAll(chunk.stream().collect(Collectors.toMap(Function.identity(), k -> w)));
    }
    ns.put("q:after", w);
    for (int limit : new int[] {1000, 7, 1}) {
      List<String> seen =
          walk(ListOptions.prefix("p:").limit(limit), ns::list, KvPage::names, KvPage::cursor);
      assertEquals(2500, seen.size(), "limit " + limit);
      assertEquals(data.keySet(), new HashSet<>(seen), "limit " + limit);
      if (listsInOrder()) {
        assertEquals(new ArrayList<>(data.keySet()), seen, "limit " + limit);
      }
    }
  }

  @Test
  void listValuesPagesCarryValues() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    Map<String, Sample> data = workoutsOf("lv", 25);
    ns.putAll(data);
    List<KvEntry<Sample>> seen = walk(ListOptions.prefix("lv:").limit(10), ns::listValues,
        KvValuePage::entries, KvValuePage::cursor);
    assertEquals(data, seen.stream().collect(Collectors.toMap(KvEntry::key, KvEntry::value)));
  }

  @Test
  void listValuesReportsUndecodableValuesWithoutFailingThePage() {
    KvNamespace<Sample> ns = workouts();
    ns.blocking().putAll(workoutsOf("f", 3));
    store.namespace(configure(NamespaceOptions.builder(ns.name(), KvCodec.utf8())).build())
        .blocking()
        .put("f:broken", "not json");
    KvValuePage<Sample> page = ns.blocking().listValues(ListOptions.prefix("f:"));
    assertEquals(3, page.entries().size());
    assertEquals(Set.of("f:broken"), page.failures().keySet());
  }

  @Test
  void scanValuesStreamsEveryPage() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    Sample w = Sample.of("s", 1, 1);
    Map<String, Sample> data = sameValueAt(2100, i -> "s:" + i, w);
    ns.putAll(data);
    ns.put("t:other", w);
    List<String> keys = ns.scanValues("s:").map(KvEntry::key).toList();
    assertEquals(2100, keys.size());
    assertEquals(data.keySet(), new HashSet<>(keys));
  }

  @Test
  void prefixesAreLiteralNotPatterns() {
    BlockingKvNamespace<Sample> ns = workouts().blocking();
    Sample w = Sample.of("x", 1, 1);
    List<String> keys = List.of("a*1", "a*2", "ab", "a?c", "abc", "a[b]c", "a[b]d", "ac",
        "a\\b", "a\\c", "ab\\", "a]b");
    ns.putAll(keys.stream().collect(Collectors.toMap(Function.identity(), k -> w)));
    assertEquals(Set.of("a*1", "a*2"), listedNames(ns, "a*"));
    assertEquals(Set.of("a?c"), listedNames(ns, "a?"));
    assertEquals(Set.of("a[b]c", "a[b]d"), listedNames(ns, "a[b]"));
    assertEquals(Set.of("a\\b", "a\\c"), listedNames(ns, "a\\"));
    assertEquals(Set.of("a]b"), listedNames(ns, "a]"));
    assertEquals(Set.of(), listedNames(ns, "*"));
    assertEquals(Set.copyOf(keys), listedNames(ns, "a"));
  }
}
