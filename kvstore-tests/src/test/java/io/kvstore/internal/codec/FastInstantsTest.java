package io.kvstore.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written instant parse of the default mapper gives the JavaTimeModule's answer for the
 * form it handles, and hands every other form back to the JavaTimeModule.
 */
class FastInstantsTest {
  private static final ObjectMapper PLAIN = JsonMapper.builder()
      .addModule(new JavaTimeModule()).build();

  private static Instant parse(String text) {
    return FastInstants.parse(text.toCharArray(), 0, text.length());
  }

  @Test
  void parsesWhatIsoInstantWritesAndAnyFractionLength() {
    Random random = new Random(13);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      long seconds = min + (long) (random.nextDouble() * (max - min));
      int digits = random.nextInt(10);
      int nanos = digits == 0 ? 0 : random.nextInt(1_000_000_000);
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      String written = DateTimeFormatter.ISO_INSTANT.format(instant);
      assertEquals(instant, parse(written), written);
      if (digits > 0) {
        String whole = written.substring(0, 19);
        String fraction = String.format("%09d", nanos).substring(0, digits);
        String text = whole + "." + fraction + "Z";
        assertEquals(Instant.parse(text), parse(text), text);
      }
    }
    assertEquals(Instant.parse("2024-02-29T23:59:59.5Z"), parse("2024-02-29T23:59:59.5Z"));
    assertEquals(Instant.EPOCH, parse("1970-01-01T00:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
      "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-03-02T24:00:00Z",
      "2026-03-02T06:60:00Z", "2026-03-02T06:30:60Z", "2026-03-02T07:30:00+01:00",
      "2026-03-02T06:30:00.Z", "2026-03-02T06:30:00.1234567890Z", "+12026-03-02T06:30:00Z",
      "2026-03-02T06:30:00z", "2026-03-02 06:30:00Z", "2026-03-02T06:30:0aZ", "", "2026",
      "2026-03-02T06:30:00,5Z", "1772433000"})
  void leavesEveryOtherFormToTheJavaTimeModule(String text) {
    assertNull(parse(text), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"2026-03-02T06:30:00Z\"", "\"2026-03-02T06:30:00.123456789Z\"",
      "\"2026-03-02T07:30:00+01:00\"", "\"2026-03-02T06:30:00.5Z\"", "1772433000", "1772433000.25",
      "\"1772433000\"", "null"})
  void theDefaultMapperReadsWhatAPlainMapperReads(String json) throws JsonProcessingException {
    assertEquals(PLAIN.readValue(json, Instant.class),
        JacksonCodec.DEFAULT_MAPPER.readValue(json, Instant.class), json);
    String inRecord = "{\"at\":" + json + "}";
    assertEquals(PLAIN.readValue(inRecord, Stamped.class),
        JacksonCodec.DEFAULT_MAPPER.readValue(inRecord, Stamped.class), inRecord);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"2026-02-29T00:00:00Z\"", "\"2026-03-02T06:30:60Z\"", "\"soon\"",
      "true"})
  void invalidInstantsFailAsBefore(String json) {
    assertThrows(JsonProcessingException.class, () -> PLAIN.readValue(json, Instant.class));
    assertThrows(JsonProcessingException.class,
        () -> JacksonCodec.DEFAULT_MAPPER.readValue(json, Instant.class));
  }

  @Test
  void aJsonFormatOnThePropertyStillApplies() throws JsonProcessingException {
    String json = "{\"at\":\"2026-03-02 06:30\",\"plain\":[\"2026-03-02T06:30:00Z\"]}";
    Formatted read = JacksonCodec.DEFAULT_MAPPER.readValue(json, Formatted.class);
    assertEquals(Instant.parse("2026-03-02T06:30:00Z"), read.at());
    assertEquals(List.of(Instant.parse("2026-03-02T06:30:00Z")), read.plain());
  }

  record Stamped(Instant at) {}

  record Formatted(
      @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "yyyy-MM-dd HH:mm", timezone = "UTC")
      Instant at,
      List<Instant> plain) {}
}
