package io.kvstore.redis.internal.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The SCAN token's text form: what a position holds survives a round trip, and only that. */
class ScanTokenTest {
  @Test
  void aFallbackPositionKeepsItsCountAndResumeKeyEvenWithSpacesAndDigits() {
    ScanToken token = new ScanToken(List.of(
        new ScanToken.Position("1234", "ns:12 34 key", 10),
        ScanToken.Position.DONE,
        new ScanToken.Position("99", null, 3),
        ScanToken.Position.START), List.of("ns:a b", "ns:\u4e2d"));
    assertEquals(token, ScanToken.parse(token.format(), 4));
  }

  @Test
  void aTokenWrittenBeforeCountsWereRecordedStillParses() {
    assertEquals(new ScanToken(List.of(new ScanToken.Position("17", "ns:k", 0)), List.of()),
        ScanToken.parse("17 ns:k", 1));
  }

  @Test
  void malformedPositionsAreRejected() {
    for (String bad : List.of("", "x", "1/", "/3", "1/x k", "1/1234567890 k", "-1")) {
      assertThrows(IllegalArgumentException.class, () -> ScanToken.parse(bad, 1), bad);
    }
  }
}
