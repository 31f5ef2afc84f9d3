package io.tributary.generators.openweathermap;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 standing in for OpenWeatherMap's current-weather endpoint. Each
 * request is answered by a script that sees the city and how many times that city has been asked
 * for, and is recorded with its decoded query parameters and arrival time.
 */
final class FakeOpenWeatherMap implements AutoCloseable {
  static final String PATH = "/data/2.5/weather";

  /** One answer. */
  record Reply(int status, String body) {}

  /** One request as received. */
  record Request(Map<String, String> query, long nanoTime) {
    String city() {
      return query.get("q");
    }
  }

  /** Chooses the reply to the {@code attempt}-th request (from 1) for a city. */
  interface Script {
    Reply reply(String city, int attempt) throws IOException;
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> attempts = new HashMap<>();

  FakeOpenWeatherMap(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        PATH,
        exchange -> {
          try (exchange) {
            Map<String, String> query = decode(exchange.getRequestURI().getRawQuery());
            requests.add(new Request(query, System.nanoTime()));
            String city = query.getOrDefault("q", "");
            int attempt;
            synchronized (attempts) {
              attempt = attempts.merge(city, 1, Integer::sum);
            }
            Reply reply = script.reply(city, attempt);
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
  }

  /** The URL to pass as {@code --apiUrl}. */
  String apiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private static Map<String, String> decode(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        query.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
