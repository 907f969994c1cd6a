package io.kvstore.redis.internal.listing;

import io.kvstore.KvValidationException;
import io.kvstore.redis.internal.protocol.RedisKeys;
import io.kvstore.redis.internal.transport.Transport;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.ListRequest;
import io.lettuce.core.KeyScanCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where SCAN pages: a page of a {@link io.kvstore.Listing#UNINDEXED} namespace is filled by rounds of
 * {@code SCAN MATCH} calls, every node not yet walked at once, with an escaped {@code MATCH}
 * pattern. SCAN visits the whole keyspace, so its cost grows with every key in the database, not
 * with the page: one call examines about {@code scanCount} keys, and a page repeats calls until
 * it is full. A reply whose surplus keys would not fit the cursor is asked again with a smaller
 * {@code COUNT} (one more round trip; see {@link ScanToken}), which keeps cursors exact whatever
 * the key lengths and page limits. Keys come in hash-table order, not sorted. Thread-safe.
 */
final class ScanPager {
  private final Transport transport;
  private final int scanCount;

  ScanPager(Transport transport, int scanCount) {
    this.transport = transport;
    this.scanCount = scanCount;
  }

  /** The full keys of a page and the token that resumes after it ({@code null}: the end). */
  record ScanPage(List<String> keys, String next) {}

  /** Fills one page of full keys, in as few rounds of SCAN calls as it takes. */
  CompletableFuture<ScanPage> page(BackendCall call, BackendNamespace ns,
      ListRequest request) {
    ScanToken start;
    try {
      start = ScanToken.parse(request.token(), transport.scanNodes(), scanCount);
    } catch (IllegalArgumentException e) {
      throw new KvValidationException("cursor", call.describe()
          + ": cursor does not hold a SCAN position of this store (did the topology change?)");
    }
    String literal = RedisKeys.full(ns.name(), request.prefix());
    if (!start.within(literal)) {
      // Leftovers become keys of the page, read (and under a sliding TTL touched) as they are:
      // one outside the namespace and prefix must never get that far.
      throw new KvValidationException("cursor", call.describe() + ": cursor names a key"
          + " outside the namespace and prefix being listed; pass the cursor of the previous"
          + " page of the same namespace and prefix, unchanged");
    }
    String match = RedisKeys.matchPattern(ns.name(), request.prefix());
    int limit = request.limit();
    List<String> keys = new ArrayList<>(Math.min(limit, 256));
    List<String> leftovers = start.leftovers();
    int taken = Math.min(limit, leftovers.size());
    keys.addAll(leftovers.subList(0, taken));
    ScanToken rest = new ScanToken(start.positions(), leftovers.subList(taken, leftovers.size()));
    CompletableFuture<ScanPage> page = new CompletableFuture<>();
    if (keys.size() == limit || !rest.leftovers().isEmpty()) {
      page.complete(new ScanPage(keys, rest.finished() ? null : rest.format()));
    } else {
      scanStep(call, rest, literal, match, limit, 0, 0, keys, page);
    }
    return page;
  }

  /**
   * Leftover keys beyond this many UTF-8 bytes are not carried in the cursor: the reply is asked
   * again with a smaller COUNT (see {@link ScanToken}). With the node positions, the token stays
   * well within the cursor size core accepts.
   */
  private static final int MAX_LEFTOVER_BYTES = 4096;

  /**
   * The COUNT hint of the next SCAN calls: about as many entries as the page still needs, scaled
   * by the share of entries that matched so far (assumed one half at first), at least 10 and at
   * most {@code scanCount}, which wins when it is below 10: it is the most work one call may
   * do. Asking for little keeps overflowing replies, and so leftovers, small; scaling by the
   * match rate keeps a sparse prefix from costing many tiny calls.
   */
  private int countHint(int remaining, long seen, long matched) {
    double density = seen == 0 ? 0.5 : Math.max((double) matched / seen, 0.01);
    long hint = (long) Math.ceil(remaining / density);
    return (int) Math.min(scanCount, Math.max(10, hint));
  }

  /**
   * One round of SCAN calls, on every node not yet walked at once (one round trip), repeated until
   * the page is full or every node is walked. Replies are consumed in node order, each sorted; a
   * reply that overflows the page leaves its remaining keys in the token, or, if they would not
   * fit, is asked again with a smaller COUNT (one more round trip) before any of its keys is
   * taken. A node whose position holds a COUNT (a retry, or the repeat-and-resume fallback) is
   * asked with exactly that COUNT.
   */
  private void scanStep(BackendCall call, ScanToken at, String literal, String match, int limit,
      long seen, long matched, List<String> keys, CompletableFuture<ScanPage> page) {
    if (at.finished()) {
      page.complete(new ScanPage(keys, null));
      return;
    }
    int hint = countHint(limit - keys.size(), seen, matched);
    List<ScanToken.Position> positions = at.positions();
    List<CompletableFuture<KeyScanCursor<String>>> replies = new ArrayList<>(positions.size());
    int[] counts = new int[positions.size()];
    int nodes = 0;
    for (int node = 0; node < positions.size(); node++) {
      ScanToken.Position position = positions.get(node);
      if (position.done()) {
        replies.add(null);
      } else {
        nodes++;
        counts[node] = position.count() > 0 ? position.count() : hint;
        replies.add(transport.scan(node, position.cursor(), match, counts[node]));
      }
    }
    call.recordRoundTrip(nodes);
    CompletableFuture.allOf(replies.stream().filter(r -> r != null)
        .toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
          if (error != null) {
            page.completeExceptionally(error);
            return;
          }
          try {
            List<ScanToken.Position> next = new ArrayList<>(positions);
            List<String> leftovers = List.of();
            long seenNow = seen;
            long matchedNow = matched;
            for (int node = 0; node < positions.size() && keys.size() < limit; node++) {
              ScanToken.Position position = positions.get(node);
              if (position.done()) {
                continue;
              }
              KeyScanCursor<String> reply = replies.get(node).join();
              List<String> fresh = matchingAfter(reply, literal, position.after());
              seenNow += Math.max(counts[node], reply.getKeys().size());
              matchedNow += fresh.size();
              int remaining = limit - keys.size();
              int take = Math.min(fresh.size(), remaining);
              List<String> rest = fresh.subList(take, fresh.size());
              boolean fits = rest.stream().mapToInt(k -> RedisKeys.bytes(k).length + 1).sum()
                  <= MAX_LEFTOVER_BYTES;
              if (!fits && position.after() == null && counts[node] > 1) {
                // Take nothing from this reply: ask the same position again for fewer keys.
                int smaller = counts[node] > remaining ? remaining : 1;
                next.set(node, new ScanToken.Position(position.cursor(), null, smaller));
                break;
              }
              keys.addAll(fresh.subList(0, take));
              if (fits) {
                next.set(node, reply.isFinished() ? ScanToken.Position.DONE
                    : new ScanToken.Position(reply.getCursor(), null, 0));
                leftovers = rest;
              } else {
                next.set(node, new ScanToken.Position(position.cursor(), fresh.get(take - 1),
                    counts[node]));
              }
            }
            ScanToken resume = new ScanToken(next, leftovers);
            if (keys.size() == limit || resume.finished()) {
              page.complete(new ScanPage(keys, resume.finished() ? null : resume.format()));
            } else {
              scanStep(call, resume, literal, match, limit, seenNow, matchedNow, keys, page);
            }
          } catch (RuntimeException failure) {
            page.completeExceptionally(failure);
          }
        });
  }

  /**
   * The reply's keys that really start with the literal prefix (MATCH already filtered; this is
   * defence in depth), sorted, and after the resume key if there is one.
   */
  private static List<String> matchingAfter(KeyScanCursor<String> reply, String literal,
      String after) {
    List<String> keys = new ArrayList<>(reply.getKeys().size());
    for (String key : reply.getKeys()) {
      if (key.startsWith(literal) && (after == null || key.compareTo(after) > 0)) {
        keys.add(key);
      }
    }
    keys.sort(null);
    return keys;
  }
}
