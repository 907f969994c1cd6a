package io.kvstore.internal.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvstore.KvCodec;
import io.kvstore.KvCodecException;
import io.kvstore.KvValidationException;
import io.kvstore.Migration;
import io.kvstore.SchemaOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * JSON values that carry their schema version, migrated on read.
 *
 * <p><b>Format.</b> The version is the first property of the stored object:
 * {@code {"_v":3,"user":"ada"}}. It is written by splicing a constant header in front of the
 * encoded object, so writing costs a copy of the bytes and nothing else. Keeping it inside the
 * value (rather than in a second key, a hash field or the key itself) keeps one key per value, one
 * {@code MGET} per batch, values readable by {@code redis-cli} and other languages, and old keys
 * valid. A value without the property is version {@link SchemaOptions#UNVERSIONED}.
 *
 * <p><b>Read path.</b> The fast path opens one parser, reads the first property and, when it is
 * the current version, hands the same parser, now on the second property, to the value's
 * deserializer: one parse, no tree, no copy. Everything else (an older version, the version
 * elsewhere in the object, no version, a newer one) is read as a tree: the version property is
 * removed, the migrations from the stored version up to the current one run in order, and the
 * tree is bound to the type. A newer version than the current one, an older one than the first
 * migration, or a migration that throws fail with a {@link KvCodecException} whose message names
 * the versions and never quotes the value.
 *
 * @param <V> the value type
 */
public final class VersionedCodec<V> implements KvCodec<V> {
  /** A stored object as plain Java values, the form migrations work on. */
  private static final TypeReference<Map<String, Object>> PLAIN_OBJECT = new TypeReference<>() {};

  private final Class<V> type;
  private final ObjectReader reader;
  private final ObjectWriter writer;
  private final String property;
  private final int current;
  private final int oldest;
  /** The step from version {@code i} at index {@code i}; nulls below the oldest. */
  private final Migration[] steps;
  private final boolean strict;
  private final boolean readRepair;
  /** {@code {"_v":3,} : what a write puts in front of the encoded object's first property. */
  private final byte[] header;
  /** {@code "_v":}: how the version property starts in encoded JSON, to find it cheaply. */
  private final byte[] ownProperty;

  /**
   * Creates a codec.
   *
   * @param type the value class, encoded as a JSON object
   * @param schema the version and migrations
   * @param strict whether unknown and missing properties fail the read
   */
  public VersionedCodec(Class<V> type, SchemaOptions schema, boolean strict) {
    this.type = Objects.requireNonNull(type, "type");
    this.reader = JacksonCodec.readerFor(type, strict);
    this.writer = JacksonCodec.DEFAULT_MAPPER.writerFor(type);
    this.property = schema.versionProperty();
    this.current = schema.version();
    this.oldest = schema.oldest();
    this.strict = strict;
    this.readRepair = schema.readRepair();
    this.steps = new Migration[current];
    schema.migrations().forEach((from, step) -> steps[from] = step);
    String name;
    try {
      name = JacksonCodec.DEFAULT_MAPPER.writeValueAsString(property);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.header = ("{" + name + ":" + current + ",").getBytes(StandardCharsets.UTF_8);
    this.ownProperty = (name + ":").getBytes(StandardCharsets.UTF_8);
    rejectTypesWithTheVersionProperty(type, property);
  }

  /**
   * A value whose own JSON has the version property would be stored with it twice, and the next
   * schema version would read the value's number as the stored version: the value would be
   * unreadable, or migrated again. Reject such a type when the namespace is built; values whose
   * properties are only known when written (maps, any-getters) are checked in {@link #encode}.
   */
  private static void rejectTypesWithTheVersionProperty(Class<?> type, String property) {
    var mapper = JacksonCodec.DEFAULT_MAPPER;
    var description = mapper.getSerializationConfig().introspect(mapper.constructType(type));
    boolean clash = description.findProperties().stream()
        .anyMatch(p -> p.couldSerialize() && property.equals(p.getName()));
    if (clash) {
      throw new KvValidationException("schema", type.getSimpleName() + " has a property named '"
          + property + "', the schema version property; rename the property"
          + " or choose another with SchemaOptions.Builder.versionProperty");
    }
  }

  /** Whether the encoded object has {@code property} at its top level (not in nested objects). */
  private boolean hasOwnVersionProperty(byte[] body) {
    if (indexOf(body, ownProperty) < 0) {
      return false; // the common case: the name appears nowhere, no parse needed
    }
    try (JsonParser p = reader.createParser(body)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        if (property.equals(p.currentName())) {
          return true;
        }
        p.nextToken();
        p.skipChildren();
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public byte[] encode(V value) {
    byte[] body;
    try {
      body = writer.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (body.length < 2 || body[0] != '{') {
      throw new IllegalArgumentException(type.getSimpleName()
          + " does not encode to a JSON object; a versioned namespace stores objects");
    }
    if (hasOwnVersionProperty(body)) {
      throw new KvValidationException("value", "the value has a property named '" + property
          + "', the schema version property of this namespace; it would be stored twice and"
          + " read as the stored version");
    }
    // The default mapper writes no whitespace: "{}" is the only empty object it produces.
    boolean empty = body[1] == '}';
    byte[] out = new byte[header.length + body.length - (empty ? 2 : 1)];
    System.arraycopy(header, 0, out, 0, header.length - (empty ? 1 : 0));
    System.arraycopy(body, 1, out, header.length - (empty ? 1 : 0), body.length - 1);
    return out;
  }

  @Override
  public V decode(byte[] bytes) {
    try (JsonParser p = reader.createParser(bytes)) {
      if (atCurrentVersion(p) && p.nextToken() == JsonToken.FIELD_NAME) {
        V value = reader.readValue(p);
        if (p.nextToken() != null) {
          throw new IllegalArgumentException("stored JSON has content after the value");
        }
        return value;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bind(migrated(bytes));
  }

  /**
   * Returns the value re-encoded at the current version when it is stored at an older one, for
   * read-repair.
   *
   * @param bytes the stored value
   * @return the bytes to store instead, or {@code null} when the value needs no migration (or
   *     cannot be read: the read reports that)
   */
  public byte[] upgraded(byte[] bytes) {
    try (JsonParser p = reader.createParser(bytes)) {
      if (atCurrentVersion(p)) {
        return null;
      }
    } catch (IOException e) {
      return null;
    }
    try {
      ObjectNode tree = tree(bytes);
      int version = version(tree);
      return version < current ? encode(bind(migrate(tree, version))) : null;
    } catch (RuntimeException | Error e) {
      return null; // the read reports why the value cannot be read, for its key alone
    }
  }

  /** Reads the first property; true when it is the version property at the current version. */
  private boolean atCurrentVersion(JsonParser p) throws IOException {
    return p.nextToken() == JsonToken.START_OBJECT
        && p.nextToken() == JsonToken.FIELD_NAME
        && property.equals(p.currentName())
        && p.nextToken() == JsonToken.VALUE_NUMBER_INT
        && p.getNumberType() == JsonParser.NumberType.INT
        && p.getIntValue() == current;
  }

  /** The slow path: the stored object as a tree, migrated to the current version. */
  private ObjectNode migrated(byte[] bytes) {
    ObjectNode tree = tree(bytes);
    return migrate(tree, version(tree));
  }

  private ObjectNode tree(byte[] bytes) {
    JsonNode node;
    try {
      node = reader.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (node instanceof ObjectNode object) {
      return object;
    }
    throw new IllegalArgumentException("stored JSON is " + (node == null ? "empty"
        : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT))
        + ", not an object of " + type.getSimpleName());
  }

  /** Removes the version property from {@code tree} and returns it; absent is version 1. */
  private int version(ObjectNode tree) {
    JsonNode version = tree.remove(property);
    if (version == null) {
      return SchemaOptions.UNVERSIONED;
    }
    if (!version.canConvertToExactIntegral() || !version.canConvertToInt()) {
      throw new KvCodecException(null, "stored version property '" + property
          + "' is not an integer version", null);
    }
    return version.asInt();
  }

  private ObjectNode migrate(ObjectNode tree, int version) {
    if (version > current) {
      throw new KvCodecException(null, "stored schema version " + version + " is newer than "
          + current + ", the newest version this namespace reads; deploy code that knows version "
          + version + " or read with a namespace of that version", null);
    }
    if (version < oldest) {
      throw new KvCodecException(null, "stored schema version " + version + " is older than "
          + oldest + ", the oldest version this namespace migrates from (current version "
          + current + ")", null);
    }
    if (version == current) {
      return tree;
    }
    Map<String, Object> value = JacksonCodec.DEFAULT_MAPPER.convertValue(tree, PLAIN_OBJECT);
    for (int from = version; from < current; from++) {
      try {
        value = steps[from].apply(value);
      } catch (RuntimeException | Error e) {
        // An Error too (an assert, a stack overflow): it fails this value, never the batch.
        throw new KvCodecException(null, "migration " + from + " -> " + (from + 1) + " of a"
            + " version " + version + " value failed with " + e.getClass().getSimpleName(), null);
      }
      if (value == null) {
        throw new KvCodecException(null, "migration " + from + " -> " + (from + 1) + " of a"
            + " version " + version + " value returned null", null);
      }
    }
    return JacksonCodec.DEFAULT_MAPPER.valueToTree(value);
  }

  private V bind(ObjectNode tree) {
    try {
      return reader.readValue(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Tells whether migrated values are written back on read.
   *
   * @return the schema's read-repair setting
   */
  public boolean readRepair() {
    return readRepair;
  }

  @Override
  public String toString() {
    return "KvCodec.json(" + type.getSimpleName() + (strict ? ", strict" : "") + ", version "
        + current + ")";
  }
}
