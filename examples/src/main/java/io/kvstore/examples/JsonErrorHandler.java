package io.kvstore.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error page as the API's JSON ({@link ApiError}) for requests Jetty refuses before any
 * route sees them: a URL with an encoded control character ({@code user%00}), an ambiguous path,
 * a malformed request line or header. The message is fixed per status; it never echoes the
 * request, which may be anything.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String error = status >= 500 ? "internal_error" : status == 404 ? "not_found" : "bad_request";
    String message = status >= 500 ? "internal error"
        : "the request is not valid HTTP, or its URL holds an encoded control character or an"
            + " ambiguous path";
    String json = "{\"error\":\"" + error + "\",\"field\":null,\"message\":\"" + message + "\"}";
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
