package io.tributary.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven over the Chrome DevTools Protocol with the JDK's own WebSocket
 * client: navigate, evaluate JavaScript, take screenshots. One browser, one tab, a fresh profile
 * removed on close.
 */
final class Chromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  /** Flags that work in containers without a display, GPU or network. */
  static final List<String> FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--hide-scrollbars",
          "--remote-allow-origins=*",
          "--remote-debugging-port=0",
          "--window-size=1400,1100");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  /** The Chromium binary: {@code $CHROMIUM}, else {@code chromium} on the PATH. */
  static Optional<Path> binary() {
    String configured = System.getenv("CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(name -> Path.of(dir, name)))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** True when {@link #binary()} finds one (a JUnit condition). */
  static boolean installed() {
    return binary().isPresent();
  }

  Chromium(Path binary) throws Exception {
    profile = Files.createTempDirectory("tributary-chromium-");
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(FLAGS);
    command.add("--user-data-dir=" + profile);
    command.add("about:blank");
    process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String browserUrl = devToolsUrl();
      int port = URI.create(browserUrl).getPort();
      HttpClient client = HttpClient.newHttpClient();
      String pageUrl = pageWebSocket(client, port);
      socket =
          client
              .newWebSocketBuilder()
              .buildAsync(URI.create(pageUrl), new Listener())
              .get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      call("Page.enable", JSON.createObjectNode());
      call("Runtime.enable", JSON.createObjectNode());
    } catch (Exception e) {
      destroy();
      throw e;
    }
  }

  /** Chromium prints "DevTools listening on ws://..." on stderr once it accepts connections. */
  private String devToolsUrl() throws IOException {
    BufferedReader err =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = err.readLine()) != null) {
                  int at = line.indexOf("ws://");
                  if (line.startsWith("DevTools listening on") && at >= 0) {
                    url.complete(line.substring(at).trim());
                  } else if (!url.isDone()) {
                    seen.append(line).append('\n');
                  }
                }
              } catch (IOException e) {
                // the browser exited
              }
              url.completeExceptionally(
                  new IllegalStateException("chromium exited without DevTools:\n" + seen));
            },
            "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      return url.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("chromium did not start: " + seen, e);
    }
  }

  private static String pageWebSocket(HttpClient client, int port) throws Exception {
    HttpResponse<String> list =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
            HttpResponse.BodyHandlers.ofString());
    for (JsonNode target : JSON.readTree(list.body())) {
      if (target.get("type").asText().equals("page")) {
        return target.get("webSocketDebuggerUrl").asText();
      }
    }
    throw new IllegalStateException("chromium has no page: " + list.body());
  }

  /** Sends one DevTools command and waits for its result. */
  JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    pending.put(id, result);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    socket
        .sendText(JSON.writeValueAsString(message), true)
        .get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    JsonNode answer = result.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new IllegalStateException(method + " failed: " + answer.get("error"));
    }
    return answer.get("result");
  }

  void navigate(String url) throws Exception {
    call("Page.navigate", JSON.createObjectNode().put("url", url));
  }

  /** The value of a JavaScript expression in the page (promises awaited). */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode result =
        call(
            "Runtime.evaluate",
            JSON.createObjectNode()
                .put("expression", expression)
                .put("returnByValue", true)
                .put("awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException(expression + " threw " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Polls {@code expression} until {@code done} holds for its value; the last value on timeout. */
  JsonNode await(String expression, Predicate<JsonNode> done, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode value = evaluate(expression);
    while (!done.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "waited " + timeout.toSeconds() + " s for " + expression + "; last value " + value);
      }
      // The page polls the server every second: look again a little later.
      CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS))
          .get();
      value = evaluate(expression);
    }
    return value;
  }

  /** Saves a PNG of the whole page. */
  void screenshot(Path file) throws Exception {
    JsonNode shot =
        call(
            "Page.captureScreenshot",
            JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    } catch (RuntimeException e) {
      // closing anyway
    }
    destroy();
  }

  private void destroy() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
      try (Stream<Path> paths = Files.walk(profile)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(text.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> waiting = pending.remove(message.get("id").asInt());
            if (waiting != null) {
              waiting.complete(message);
            }
          }
        } catch (IOException e) {
          // not a message we asked for
        }
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
