package io.tributary.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal HTTP/1.1 client over a socket: sends the request target byte for byte as given (no
 * normalization of {@code ..} or escapes, which {@link java.net.http.HttpClient} might do), so
 * tests see what the server does with exactly that path.
 */
final class Http {
  private final int port;

  Http(int port) {
    this.port = port;
  }

  record Answer(int status, Map<String, String> headers, String body) {
    JsonNode json() {
      try {
        return new ObjectMapper().readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  Answer get(String target) {
    return send("GET", target, Map.of());
  }

  Answer send(String method, String target, Map<String, String> headers) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      StringBuilder request = new StringBuilder();
      request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      request.append("Host: 127.0.0.1:").append(port).append("\r\n");
      request.append("Connection: close\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      if (!method.equals("GET") && !method.equals("HEAD")) {
        request.append("Content-Length: 2\r\nContent-Type: application/json\r\n\r\n{}");
      } else {
        request.append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int headEnd = response.indexOf("\r\n\r\n");
      String[] head = response.substring(0, headEnd).split("\r\n");
      int status = Integer.parseInt(head[0].split(" ")[1]);
      Map<String, String> responseHeaders = new TreeMap<>();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        responseHeaders.put(
            head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            head[i].substring(colon + 1).trim());
      }
      String body = response.substring(headEnd + 4);
      if ("chunked".equalsIgnoreCase(responseHeaders.get("transfer-encoding"))) {
        body = unchunk(body);
      }
      return new Answer(status, responseHeaders, body);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + target, e);
    }
  }

  private static String unchunk(String body) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = body.indexOf("\r\n", at);
      int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(body, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
}
