package io.kvstore.redis.internal.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SCAN token's text form: what a position holds survives a round trip, and only that; what a
 * forged one may hold is bounded (COUNT, server cursors) and checked (the keys it names).
 */
class ScanTokenTest {
  @Test
  void aFallbackPositionKeepsItsCountAndResumeKeyEvenWithSpacesAndDigits() {
    ScanToken token = new ScanToken(List.of(
        new ScanToken.Position("1234", "ns:12 34 key", 10),
        ScanToken.Position.DONE,
        new ScanToken.Position("99", null, 3),
        ScanToken.Position.START), List.of("ns:a b", "ns:\u4e2d"));
    assertEquals(token, ScanToken.parse(token.format(), 4, 1000));
  }

  @Test
  void aTokenWrittenBeforeCountsWereRecordedStillParses() {
    assertEquals(new ScanToken(List.of(new ScanToken.Position("17", "ns:k", 0)), List.of()),
        ScanToken.parse("17 ns:k", 1, 1000));
  }

  @Test
  void malformedPositionsAreRejected() {
    for (String bad : List.of("", "x", "1/", "/3", "1/x k", "1/1234567890 k", "-1",
        "18446744073709551616", "123456789012345678901")) {
      assertThrows(IllegalArgumentException.class, () -> ScanToken.parse(bad, 1, 1000), bad);
    }
    assertEquals(new ScanToken(List.of(new ScanToken.Position("18446744073709551615", null, 0)),
        List.of()), ScanToken.parse("18446744073709551615", 1, 1000));
  }

  @Test
  void aCountAboveTheStoresScanCountIsLoweredToIt() {
    assertEquals(new ScanToken(List.of(new ScanToken.Position("5", null, 50),
        new ScanToken.Position("0", "ns:p:k", 1)), List.of()),
        ScanToken.parse("5/999999999\n0/1 ns:p:k", 2, 50));
  }

  @Test
  void everyKeyTheTokenNamesMustBeOfTheListing() {
    String literal = "ns:p:";
    assertTrue(ScanToken.parse("-\nns:p:a\nns:p:b", 1, 10).within(literal));
    assertTrue(ScanToken.parse("0/1 ns:p:a", 1, 10).within(literal));
    for (String bad : List.of("-\nns:p:a\nother:p:b", "-\nns:q", "-\n", "-\nns:p",
        "0/1 ns:other", "0/1 other:p:a", "-\n{ns}:p:a", "-\nns2:p:a")) {
      assertFalse(ScanToken.parse(bad, 1, 10).within(literal), bad);
    }
  }
}
