package io.kvstore.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The no-lost-update check of the summaries: threads send completions and undos over HTTP for a
 * few users at once, so that every user's {@link Summary} is changed by many requests
 * concurrently; then each user's summary must equal what their completion records say, and the
 * records what the threads last did. Each thread owns its own workouts of every user (workout
 * {@code i} belongs to thread {@code i mod threads}): requests race on the summary, which is the
 * point, but never on one completion, whose record and undo are two writes of their own.
 * A summary changed with {@code get} then {@code put} would fail this at once.
 */
final class SummaryCheck {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * What a check did and found.
   *
   * @param users users checked
   * @param records completions recorded
   * @param undos completions undone
   * @param resent requests sent again after a 409 (the summary contended on every attempt)
   * @param mismatches one line per user whose summary or records are not what they should be
   */
  record Result(int users, int records, int undos, int resent, List<String> mismatches) {
    /**
     * Describes the check in one line.
     *
     * @return such as {@code 1,600 records and undos ... 0 lost updates}
     */
    String line() {
      return String.format(Locale.ROOT, "summary check: %,d records and %,d undos on %d users at"
          + " once (%d sent again after a 409); %d of %d summaries equal their completion records"
          + " (%s)", records, undos, users, resent, users - mismatches.size(), users,
          mismatches.isEmpty() ? "0 lost updates" : String.join("; ", mismatches));
    }
  }

  private SummaryCheck() {}

  /**
   * Runs the requests, then checks every user.
   *
   * @param url the service, such as {@code http://127.0.0.1:7070}
   * @param prefix the users' id prefix, of users no one else writes
   * @param users how many users
   * @param threads threads sending at once, at most 64
   * @param requestsPerThread requests each thread sends
   * @return what was sent and what does not match
   * @throws Exception if a request fails or a thread is interrupted
   */
  static Result run(String url, String prefix, int users, int threads, int requestsPerThread)
      throws Exception {
    // done[u]: the user's workouts whose last request was a record. Each bit has one writer,
    // its owning thread, but the threads share the longs, hence the lock.
    long[] done = new long[users];
    AtomicInteger records = new AtomicInteger();
    AtomicInteger undos = new AtomicInteger();
    AtomicInteger resent = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        runs.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(thread);
          int owned = (63 - thread) / threads + 1;
          for (int i = 0; i < requestsPerThread; i++) {
            int u = random.nextInt(users);
            int index = thread + threads * random.nextInt(owned);
            int week = index / TrainingProgram.DAYS_PER_WEEK + 1;
            int day = index % TrainingProgram.DAYS_PER_WEEK + 1;
            String path = "/api/users/" + prefix + u + "/workouts/" + week + "/" + day;
            boolean record = random.nextInt(5) < 3;
            // A 409 (the summary contended on every attempt) is sent again, as a client would:
            // both writes are idempotent.
            if (record) {
              expect(200, sendAgainOnConflict("PUT", url + path, "{\"durationMinutes\": 30}",
                  resent));
              records.incrementAndGet();
            } else {
              expect(204, sendAgainOnConflict("DELETE", url + path, null, resent));
              undos.incrementAndGet();
            }
            synchronized (done) {
              done[u] = record ? done[u] | 1L << index : done[u] & ~(1L << index);
            }
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> mismatches = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      String user = prefix + u;
      Progress progress = RequestInput.MAPPER.readValue(
          expect(200, send("GET", url + "/api/users/" + user + "/progress", null)),
          Progress.class);
      Summary.View summary = RequestInput.MAPPER.readValue(
          expect(200, send("GET", url + "/api/users/" + user + "/summary", null)),
          Summary.View.class);
      Summary fromRecords = Summary.of(progress.completions());
      Summary sent;
      synchronized (done) {
        sent = Summary.of(done[u]);
      }
      if (!fromRecords.view(user).equals(summary) || fromRecords.done() != sent.done()) {
        mismatches.add(user + ": summary " + summary.completed() + " done, streak "
            + summary.currentStreak() + "; records " + fromRecords.completed() + " done, streak "
            + fromRecords.currentStreak() + "; requests left " + sent.completed() + " done");
      }
    }
    return new Result(users, records.get(), undos.get(), resent.get(),
        List.copyOf(mismatches));
  }

  private static HttpResponse<String> sendAgainOnConflict(String method, String url, String body,
      AtomicInteger resent) {
    HttpResponse<String> response = send(method, url, body);
    for (int again = 0; again < 10 && response.statusCode() == 409; again++) {
      resent.incrementAndGet();
      response = send(method, url, body);
    }
    return response;
  }

  private static HttpResponse<String> send(String method, String url, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    b = body == null ? b.method(method, BodyPublishers.noBody())
        : b.header("Content-Type", "application/json").method(method,
            BodyPublishers.ofString(body));
    try {
      return HTTP.send(b.build(), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String expect(int status, HttpResponse<String> response) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(response.request().method() + " " + response.uri().getPath()
          + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
