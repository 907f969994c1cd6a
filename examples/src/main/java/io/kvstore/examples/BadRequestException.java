package io.kvstore.examples;

/** A request broke a rule; answered with 400 and a JSON error naming {@link #field()}. */
final class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The request field at fault, such as {@code week} or {@code exercises[0].reps}. */
  private final String field;

  /**
   * Creates the failure.
   *
   * @param field the request field at fault
   * @param message the rule broken, naming the field
   */
  BadRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  /**
   * Returns the request field at fault.
   *
   * @return the field name, as a JSON path for body fields
   */
  String field() {
    return field;
  }
}
