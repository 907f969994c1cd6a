package io.kvstore.internal.codec;

import io.kvstore.KvCodec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The built-in non-JSON codecs. */
public final class Codecs {
  /** UTF-8 text; decoding rejects malformed input instead of inserting replacement characters. */
  public static final KvCodec<String> UTF8 = new KvCodec<>() {
    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("stored bytes are not valid UTF-8", e);
      }
    }

    @Override
    public String toString() {
      return "KvCodec.utf8()";
    }
  };

  /** Raw bytes, passed through. */
  public static final KvCodec<byte[]> BYTES = new KvCodec<>() {
    @Override
    public byte[] encode(byte[] value) {
      return value;
    }

    @Override
    public byte[] decode(byte[] bytes) {
      return bytes;
    }

    @Override
    public String toString() {
      return "KvCodec.bytes()";
    }
  };

  private Codecs() {}
}
