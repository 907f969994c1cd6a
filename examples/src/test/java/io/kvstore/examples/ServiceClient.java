package io.kvstore.examples;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Real HTTP calls to a running workout service, for the tests that need only a few verbs. */
final class ServiceClient {
  private static final Pattern STORE_RT = Pattern.compile("store-rt;desc=\"(\\d+)\"");

  private final String url;

  ServiceClient(WorkoutService service) {
    this(service.url());
  }

  ServiceClient(String url) {
    this.url = url;
  }

  HttpResponse<String> send(String method, String path, String body) {
    return SummaryCheck.send(method, url + path, body);
  }


  /** Records the first {@code count} workouts of the program for a user, checking each 200. */
  void seed(String user, int count) {
    int n = 0;
    for (int week = 1; week <= TrainingProgram.WEEKS && n < count; week++) {
      for (int day = 1; day <= TrainingProgram.DAYS_PER_WEEK && n < count; day++, n++) {
        String body = "{\"durationMinutes\": " + (38 + (week * 7 + day * 5) % 27)
            + (n % 3 == 0 ? ", \"notes\": \"" + NOTES[n / 3 % NOTES.length] + "\"" : "") + "}";
        HttpResponse<String> r = send("PUT", "/api/users/" + user + "/workouts/" + week + "/"
            + day, body);
        if (r.statusCode() != 200) {
          throw new AssertionError("seeding " + user + " got " + r.statusCode() + ": " + r.body());
        }
      }
    }
  }

  private static final String[] NOTES = {"felt strong", "new 5-rep best",
      "short on sleep, kept it easy", "great bar speed", "gym was packed"};

  /**
   * Returns the store round trips a response's {@code Server-Timing} header reports.
   *
   * @return the count, or -1 if the header has none or says the round trips were not attributed
   */
  static long storeRoundTrips(HttpResponse<?> response) {
    String timing = response.headers().firstValue("Server-Timing").orElse("");
    Matcher m = STORE_RT.matcher(timing);
    return !m.find() || timing.contains("store-unknown") ? -1 : Long.parseLong(m.group(1));
  }
}
