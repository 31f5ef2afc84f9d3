package io.tributary.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP server (Jetty, no servlets): the pages, their scripts, Chart.js and the JSON
 * API, all read-only ({@code GET} and {@code HEAD}; any other method is refused).
 *
 * <p>Routing is by exact match on the request's path as sent, before any decoding: a path with a
 * percent-escape, a {@code ..} segment, an empty segment or a character outside {@code
 * [a-z0-9_/.-]} matches nothing and gets 404. Table names are then looked up among the tables the
 * lakehouse has ({@link Tables#find}).
 */
final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

  static final String WEB = "/io/tributary/dashboard/web/";

  /** Chart.js's files in its webjar, whichever version the build brought. */
  static final String CHART_JS =
      "/META-INF/resources/webjars/chart.js/" + webjarVersion("org.webjars.npm", "chart.js") + "/";

  /** The pages: path → (page id, title). */
  static final Map<String, String[]> PAGES = pages();

  private static final Pattern TABLE = Pattern.compile("/api/tables/([a-z]+)/([a-z0-9_]+)");
  private static final Pattern SAFE_PATH = Pattern.compile("/|(/[a-z0-9_.-]+)+");
  private static final int DEFAULT_LIMIT = 100;
  private static final String UNRESOLVABLE_PATH = "/badMessage";

  private final DashboardApi api;
  private final Map<String, StaticFile> files = new LinkedHashMap<>();
  private final Server server;

  private record StaticFile(String contentType, byte[] body) {}

  DashboardServer(DashboardApi api, String host, int port) {
    this.api = api;
    String template = resource(WEB + "page.html");
    PAGES.forEach(
        (path, page) ->
            files.put(
                path,
                new StaticFile(
                    "text/html; charset=utf-8",
                    template
                        .replace("{{PAGE}}", page[0])
                        .replace("{{TITLE}}", page[1])
                        .getBytes(StandardCharsets.UTF_8))));
    files.put("/static/app.js", file("text/javascript; charset=utf-8", WEB + "app.js"));
    files.put("/static/style.css", file("text/css; charset=utf-8", WEB + "style.css"));
    files.put(
        "/static/chart.umd.js",
        file("text/javascript; charset=utf-8", CHART_JS + "dist/chart.umd.js"));
    files.put(
        "/static/chart.js-LICENSE.md", file("text/plain; charset=utf-8", CHART_JS + "LICENSE.md"));

    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("dashboard");
    // Never keeps a JVM alive: the command joins the server, the demo stops with its pipelines.
    threads.setDaemon(true);
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    // Let every request path through to our routing, which answers 404 to anything ambiguous
    // instead of Jetty's 400.
    http.setUriCompliance(UriCompliance.UNSAFE);
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Routes());
    server.setErrorHandler(DashboardServer::error);
  }

  /**
   * Jetty's own refusals (a path that climbs above the root, a NUL byte, a malformed request) as
   * JSON; a path Jetty cannot resolve is, for this server, a path that does not exist: 404.
   */
  private static boolean error(Request request, Response response, Callback callback) {
    int status =
        request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code
            ? code
            : response.getStatus();
    // Jetty answers a request path it cannot resolve (one climbing above the root, or holding a
    // NUL) with this placeholder path and no other detail.
    String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
    if (status == HttpStatus.BAD_REQUEST_400 && UNRESOLVABLE_PATH.equals(path)) {
      status = HttpStatus.NOT_FOUND_404;
    }
    json(
        response,
        callback,
        status,
        error(status == HttpStatus.NOT_FOUND_404 ? "not found" : HttpStatus.getMessage(status)));
    return true;
  }

  private static String webjarVersion(String group, String artifact) {
    java.util.Properties properties = new java.util.Properties();
    String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = DashboardServer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the " + artifact + " webjar is not on the classpath");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  private static Map<String, String[]> pages() {
    Map<String, String[]> pages = new LinkedHashMap<>();
    pages.put("/", new String[] {"overview", "Lakehouse"});
    pages.put("/weather", new String[] {"weather", "Weather"});
    pages.put("/students", new String[] {"students", "Students"});
    pages.put("/trips", new String[] {"trips", "Trips"});
    pages.put("/transactions", new String[] {"transactions", "Transactions"});
    pages.put("/health", new String[] {"health", "Table health"});
    return pages;
  }

  void start() throws Exception {
    server.start();
  }

  /** The port listened on (the chosen one when started with port 0). */
  int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  void join() throws InterruptedException {
    server.join();
  }

  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String method = request.getMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
        Response.writeError(
            request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "read-only");
        return true;
      }
      String path = request.getHttpURI().getPath();
      try {
        route(request, response, callback, path == null ? "" : path);
      } catch (RuntimeException e) {
        LOG.warn("{} failed", path, e);
        json(
            response,
            callback,
            HttpStatus.SERVICE_UNAVAILABLE_503,
            error("cannot read the lakehouse now: " + e.getMessage()));
      }
      return true;
    }
  }

  private void route(Request request, Response response, Callback callback, String path) {
    if (!SAFE_PATH.matcher(path).matches() || path.contains("..")) {
      notFound(response, callback);
      return;
    }
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response
        .getHeaders()
        .put(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
    if (path.equals("/healthz")) {
      send(
          response,
          callback,
          HttpStatus.OK_200,
          "text/plain; charset=utf-8",
          "ok\n".getBytes(StandardCharsets.UTF_8));
    } else if (path.equals("/api/tables")) {
      json(response, callback, HttpStatus.OK_200, api.tables());
    } else if (path.equals("/api/health")) {
      json(response, callback, HttpStatus.OK_200, api.health());
    } else if (TABLE.matcher(path).matches()) {
      Matcher m = TABLE.matcher(path);
      m.matches();
      table(request, response, callback, m.group(1), m.group(2));
    } else if (files.containsKey(path)) {
      StaticFile file = files.get(path);
      send(response, callback, HttpStatus.OK_200, file.contentType(), file.body());
    } else {
      notFound(response, callback);
    }
  }

  private void table(
      Request request, Response response, Callback callback, String layer, String name) {
    Fields query = Request.extractQueryParameters(request);
    int limit = DEFAULT_LIMIT;
    String asked = query.getValue("limit");
    if (asked != null) {
      try {
        limit = Integer.parseInt(asked);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1) {
        json(
            response,
            callback,
            HttpStatus.BAD_REQUEST_400,
            error("limit must be a whole number from 1 to " + Tables.MAX_LIMIT));
        return;
      }
      limit = Math.min(limit, Tables.MAX_LIMIT);
    }
    Optional<ObjectNode> answer = api.table(layer, name, limit);
    if (answer.isEmpty()) {
      notFound(response, callback);
      return;
    }
    // The answer only changes with the table's version: a browser's conditional request for an
    // unchanged table gets no body (and the server read no data to find that out).
    String etag =
        "\"" + layer + "/" + name + "@" + answer.get().get("version").asLong() + "/" + limit + "\"";
    response.getHeaders().put(HttpHeader.ETAG, etag);
    if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      callback.succeeded();
      return;
    }
    json(response, callback, HttpStatus.OK_200, answer.get());
  }

  private static void notFound(Response response, Callback callback) {
    json(response, callback, HttpStatus.NOT_FOUND_404, error("not found"));
  }

  private static ObjectNode error(String message) {
    return JsonValues.NODES.objectNode().put("error", message);
  }

  private static void json(Response response, Callback callback, int status, ObjectNode body) {
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    send(response, callback, status, "application/json", JsonValues.bytes(body));
  }

  private static void send(
      Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static StaticFile file(String contentType, String resource) {
    try (InputStream in = DashboardServer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new StaticFile(contentType, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String resource) {
    return new String(file("text/plain", resource).body(), StandardCharsets.UTF_8);
  }

  /** Binds to {@code host:port}; for messages. */
  static String url(String host, int port) {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + port + "/";
  }
}
