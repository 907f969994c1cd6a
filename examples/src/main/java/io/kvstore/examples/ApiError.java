package io.kvstore.examples;

/**
 * The JSON body of every error response.
 *
 * @param error a stable code: {@code bad_request}, {@code not_found},
 *     {@code store_unavailable} or {@code internal_error}
 * @param field the request field at fault for {@code bad_request}, otherwise {@code null}
 * @param message what went wrong, for people
 */
public record ApiError(String error, String field, String message) {}
