package io.kvstore.examples;

import io.kvstore.examples.WorkoutCompletion.ExerciseLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code PUT /api/users/{user}/workouts/{week}/{day}}, as sent: every field may be
 * missing until {@link #toCompletion} checks it. Immutable.
 *
 * <p>Text limits count Unicode code points, what a person sees as characters (an emoji is one),
 * not Java's UTF-16 units.
 *
 * @param durationMinutes how long the workout took, 1 to {@value #MAX_DURATION_MINUTES}; required
 * @param exercises what was done, at most {@value #MAX_EXERCISES}; missing means none. The
 *     exercises of {@code GET /api/program} can be sent back as they are.
 * @param notes free text of at most {@value #MAX_NOTES_CHARS} characters; optional
 * @param completedAt when the workout was done, ISO-8601, from {@link #EARLIEST_COMPLETED_AT}
 *     to a day after the server's clock (clocks disagree); missing means now
 */
public record CompletionRequest(
    Integer durationMinutes, List<ExerciseRequest> exercises, String notes, Instant completedAt) {
  /** The longest workout accepted, in minutes (a day). */
  public static final int MAX_DURATION_MINUTES = 1440;

  /** The most exercises one completion holds. */
  public static final int MAX_EXERCISES = 50;

  /** The longest notes accepted, in characters. */
  public static final int MAX_NOTES_CHARS = 2000;

  /** The longest exercise name accepted, in characters. */
  public static final int MAX_NAME_CHARS = 100;

  /** The earliest {@code completedAt} accepted. */
  public static final Instant EARLIEST_COMPLETED_AT = Instant.parse("2000-01-01T00:00:00Z");

  /** How far past the server's clock a {@code completedAt} may be: a phone's clock runs ahead. */
  public static final Duration MAX_CLOCK_AHEAD = Duration.ofDays(1);

  /**
   * One exercise as sent.
   *
   * @param name the exercise, 1 to {@value CompletionRequest#MAX_NAME_CHARS} characters
   * @param sets sets done, 1 to 100
   * @param reps repetitions per set, 1 to 1000
   * @param weightKg the load in kilograms, 0 to 1000; missing means body weight (0), so the
   *     planned exercises of {@code GET /api/program}, which have no load, can be sent back
   */
  public record ExerciseRequest(String name, Integer sets, Integer reps, Double weightKg) {}

  /**
   * Checks every field and builds the completion to store.
   *
   * @param user the user id, already checked
   * @param week the week, already checked
   * @param day the day, already checked
   * @param now the time to use when {@code completedAt} is missing
   * @return the completion
   * @throws BadRequestException naming the first field that breaks a rule
   */
  WorkoutCompletion toCompletion(String user, int week, int day, Instant now) {
    int duration = range("durationMinutes", durationMinutes, 1, MAX_DURATION_MINUTES);
    if (notes != null && characters(notes) > MAX_NOTES_CHARS) {
      throw new BadRequestException("notes", "notes has " + characters(notes)
          + " characters; at most " + MAX_NOTES_CHARS + " are allowed");
    }
    if (completedAt != null && (completedAt.isBefore(EARLIEST_COMPLETED_AT)
        || completedAt.isAfter(now.plus(MAX_CLOCK_AHEAD)))) {
      throw new BadRequestException("completedAt", "completedAt must be between "
          + EARLIEST_COMPLETED_AT + " and a day from now");
    }
    List<ExerciseRequest> sent = exercises == null ? List.of() : exercises;
    if (sent.size() > MAX_EXERCISES) {
      throw new BadRequestException("exercises", "exercises has " + sent.size()
          + " entries; at most " + MAX_EXERCISES + " are allowed");
    }
    List<ExerciseLog> logs = new ArrayList<>(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      logs.add(exercise("exercises[" + i + "]", sent.get(i)));
    }
    return new WorkoutCompletion(user, week, day, completedAt == null ? now : completedAt,
        duration, logs, notes);
  }

  private static ExerciseLog exercise(String path, ExerciseRequest e) {
    if (e == null) {
      throw new BadRequestException(path, path + " must be an object, not null");
    }
    if (e.name() == null || e.name().isBlank() || characters(e.name()) > MAX_NAME_CHARS) {
      throw new BadRequestException(path + ".name", path + ".name is required and must have 1 to "
          + MAX_NAME_CHARS + " characters");
    }
    int sets = range(path + ".sets", e.sets(), 1, 100);
    int reps = range(path + ".reps", e.reps(), 1, 1000);
    Double kg = e.weightKg() == null ? 0.0 : e.weightKg();
    if (!(kg >= 0 && kg <= 1000)) {
      throw new BadRequestException(path + ".weightKg",
          path + ".weightKg must be between 0 and 1000");
    }
    return new ExerciseLog(e.name(), sets, reps, kg);
  }

  /** Characters as people count them: code points, so an emoji is one. */
  private static int characters(String text) {
    return text.codePointCount(0, text.length());
  }

  private static int range(String field, Integer value, int min, int max) {
    if (value == null) {
      throw new BadRequestException(field, field + " is required");
    }
    if (value < min || value > max) {
      throw new BadRequestException(field, field + " is " + value + "; it must be between "
          + min + " and " + max);
    }
    return value;
  }
}
