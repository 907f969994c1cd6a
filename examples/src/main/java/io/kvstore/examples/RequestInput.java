package io.kvstore.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * What the API reads from a request, checked: the user id, week and day from the path, the page
 * size from the query, the completion from the JSON body. Every refusal is a
 * {@link BadRequestException} naming the field, answered 400; a body's own text is never quoted
 * back.
 */
final class RequestInput {
  /** The API's JSON: strict on input (no unknown fields, no coercions), ISO-8601 instants. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern SMALL_INT = Pattern.compile("\\d{1,4}");

  private RequestInput() {}

  /** The user id of the path: 1 to 64 of A-Z, a-z, 0-9, '_' and '-'. */
  static String user(Context ctx) {
    String user = ctx.pathParam("user");
    if (!USER_ID.matcher(user).matches()) {
      throw new BadRequestException("user",
          "user must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'");
    }
    return user;
  }

  static int week(Context ctx) {
    return intParam("week", ctx.pathParam("week"), 1, TrainingProgram.WEEKS);
  }

  static int day(Context ctx) {
    return intParam("day", ctx.pathParam("day"), 1, TrainingProgram.DAYS_PER_WEEK);
  }

  /** The page size of the query, {@link WorkoutApi#DEFAULT_LIMIT} when not given. */
  static int limit(Context ctx) {
    String limit = ctx.queryParam("limit");
    return limit == null ? WorkoutApi.DEFAULT_LIMIT
        : intParam("limit", limit, 1, WorkoutApi.MAX_LIMIT);
  }

  private static int intParam(String name, String value, int min, int max) {
    int n = SMALL_INT.matcher(value).matches() ? Integer.parseInt(value) : -1;
    if (n < min || n > max) {
      throw new BadRequestException(name,
          name + " must be an integer between " + min + " and " + max);
    }
    return n;
  }

  /** The body as one completion request. */
  static CompletionRequest body(Context ctx) {
    CompletionRequest request;
    try {
      request = MAPPER.readValue(ctx.bodyAsBytes(), CompletionRequest.class);
    } catch (UnrecognizedPropertyException e) {
      String field = jsonPath(e);
      throw new BadRequestException(field, "unknown field " + field);
    } catch (JsonMappingException e) {
      String field = jsonPath(e);
      if (field.isEmpty()) {
        throw new BadRequestException("body", "body must be one JSON object");
      }
      throw new BadRequestException(field, field + " has the wrong type or format");
    } catch (JsonProcessingException e) {
      // Jackson's own message may quote the body: report only where parsing stopped.
      throw new BadRequestException("body", "body is not valid JSON (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (request == null) {
      throw new BadRequestException("body", "body must be one JSON object");
    }
    return request;
  }

  /** Returns where a mapping failed, as {@code exercises[0].reps}; empty for the root. */
  private static String jsonPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
