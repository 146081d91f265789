package dev.intact.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One request and its response, with the few helpers every route needs. */
public final class Exchange {
  public static final ObjectMapper JSON =
      strict(
          JsonMapper.builder()
              .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
              // "{...} garbage" is not one JSON value; 1.5 is no number of seconds.
              .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
              .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
              .build());

  /**
   * No scalar turns silently into another type: {@code "30"} is no number, {@code "yes"} or {@code
   * 1} no boolean, {@code 5} no string (Jackson coerces each of them by default).
   */
  private static ObjectMapper strict(JsonMapper mapper) {
    for (LogicalType t : LogicalType.values()) {
      mapper
          .coercionConfigFor(t)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    return mapper;
  }

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final int maxJsonBytes;
  private Fields query;

  public Exchange(Request request, Response response, Callback callback, int maxJsonBytes) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.maxJsonBytes = maxJsonBytes;
  }

  public Request request() {
    return request;
  }

  public Response response() {
    return response;
  }

  public Callback callback() {
    return callback;
  }

  public String method() {
    return request.getMethod();
  }

  public String header(HttpHeader name) {
    return request.getHeaders().get(name);
  }

  /** A query parameter, or null. */
  public String query(String name) {
    if (query == null) {
      query = Request.extractQueryParameters(request);
    }
    return query.getValue(name);
  }

  /**
   * A non-negative integer query parameter.
   *
   * @throws HttpError 400 if it is present but not a non-negative integer
   */
  public long queryLong(String name, long absent) {
    String v = query(name);
    if (v == null || v.isEmpty()) {
      return absent;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw HttpError.badRequest("query parameter '" + name + "' is negative: " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("query parameter '" + name + "' is not an integer: " + v);
    }
  }

  /**
   * The request body as JSON, at most {@code maxJsonBytes} long.
   *
   * @throws HttpError 413 if longer, 400 if it is not JSON
   */
  public JsonNode readJson() throws IOException {
    long declared = request.getLength();
    if (declared > maxJsonBytes) {
      throw new HttpError(
          413, "request body of " + declared + " bytes is larger than " + maxJsonBytes);
    }
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(maxJsonBytes + 1);
    }
    if (body.length > maxJsonBytes) {
      throw new HttpError(413, "request body is larger than " + maxJsonBytes + " bytes");
    }
    return parseJson(body);
  }

  /**
   * Parses a whole request body as JSON.
   *
   * @throws HttpError 400 if it is empty or not JSON
   */
  public static JsonNode parseJson(byte[] body) {
    if (body.length == 0) {
      throw HttpError.badRequest("request body is empty; expected JSON");
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw HttpError.badRequest("request body is not valid JSON: " + firstLine(e));
    } catch (IOException e) {
      // CharConversionException: bytes that are no text in the encoding Jackson detected (found
      // by TicketSpecFuzzTest; it used to escape as a 500).
      throw HttpError.badRequest("request body is not valid JSON: " + e.getMessage());
    }
  }

  /**
   * Binds the JSON body to a record.
   *
   * @throws HttpError 400 naming the field that does not fit
   */
  public <T> T readJson(Class<T> type) throws IOException {
    return bind(readJson(), type);
  }

  /**
   * Binds a parsed body to a record.
   *
   * @throws HttpError 400 naming the field that does not fit
   */
  public static <T> T bind(JsonNode node, Class<T> type) {
    if (!node.isObject()) {
      throw HttpError.badRequest("request body must be a JSON object");
    }
    try {
      return JSON.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw HttpError.badRequest("request body does not fit: " + firstLine(e));
    }
  }

  /**
   * One line for a JSON error: which key (when Jackson knows it) and Jackson's own first line,
   * without its hint about enabling coercion (refusing it is the point).
   */
  public static String firstLine(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    String line = m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    int hint = line.indexOf(" (but might if coercion");
    if (hint >= 0) {
      line = line.substring(0, hint);
    }
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException j
        && !j.getPath().isEmpty()) {
      StringBuilder key = new StringBuilder();
      for (var ref : j.getPath()) {
        if (ref.getFieldName() != null) {
          key.append(key.isEmpty() ? "" : ".").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          key.append('[').append(ref.getIndex()).append(']');
        }
      }
      if (!key.isEmpty()) {
        return "key '" + key + "': " + line;
      }
    }
    return line;
  }

  public void json(int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
  }

  public void empty(int status) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    response.write(true, null, callback);
  }

  /** The error body: {@code text/plain}, one line. */
  public void error(HttpError e) {
    byte[] bytes = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(e.status());
    // The body of a refused request may be unread: tell the client not to reuse the connection,
    // or its next request would meet the rest of this body, or a closed socket.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
  }
}
