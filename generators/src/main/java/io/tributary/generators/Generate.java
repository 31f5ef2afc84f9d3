package io.tributary.generators;

import io.tributary.generators.KafkaTarget.TargetException;
import io.tributary.generators.openweathermap.OpenWeatherMapSource;
import io.tributary.kafka.connection.KafkaConnection;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code ./tributary generate}: publishes one dataset's events to a Kafka topic and ends with one
 * JSON summary line on stdout. Progress goes to stderr. Exit status: 0 done, 1 the target failed, 2
 * bad flags.
 */
public final class Generate {
  /**
   * Start of the event clock when {@code --seed} is given without {@code --startTime}: fixed, so
   * runs repeat.
   */
  static final Instant SEEDED_START = Instant.parse("2026-01-01T00:00:00Z");

  static final Set<String> FLAGS =
      Set.of(
          "dataset",
          "bootstrapServers",
          "eventHubsNamespace",
          "eventHubsConnectionString",
          "eventHubsTenantId",
          "eventHubsClientId",
          "eventHubsClientSecret",
          "sslTrustStore",
          "topic",
          "partitions",
          "count",
          "rate",
          "duration",
          "seed",
          "startTime",
          "badRatio",
          "duplicateRatio",
          "lateRatio",
          "source",
          "cities",
          "pollSeconds",
          "apiUrl");

  static final String USAGE =
      """
      Usage: ./tributary generate --dataset=NAME --bootstrapServers=HOST:PORT [flags]
             ./tributary generate --dataset=NAME --eventHubsNamespace=NS CREDENTIAL [flags]

        --dataset=NAME            students | trips | transactions | weather
        --bootstrapServers=H:P    Kafka bootstrap address, e.g. 127.0.0.1:9092
        --topic=NAME              topic (event hub) to write (default: the dataset name)
        --partitions=N            partitions if the topic has to be created (default 4; event hubs
                                  are never created, they must exist)
      Azure Event Hubs (Kafka endpoint, SASL_SSL); secrets are references env:VAR or file:/path:
        --eventHubsNamespace=NS   NS, NS.servicebus.windows.net or HOST:PORT (default: from the
                                  connection string's Endpoint)
        --eventHubsConnectionString=REF          shared access key connection string
        --eventHubsTenantId=T --eventHubsClientId=C --eventHubsClientSecret=REF
                                  Entra ID service principal (instead of a connection string)
        --sslTrustStore=PATH      extra certificates to trust (PEM, JKS or PKCS12), e.g. the
                                  local stand-in's ca.pem (./tributary kafka --eventHubsMode)
        --count=N                 stop after N records
        --rate=EVENTS_PER_S       pace the run (default: as fast as possible with --count or
                                  --duration, else the dataset's nominal rate)
        --duration=ISO-8601       stop after this wall-clock time, e.g. PT30S, PT10M
        --seed=S                  make the run reproducible (same seed, same records)
        --startTime=INSTANT|now   event-clock start (default: 2026-01-01T00:00:00Z with --seed; with
                                  --count and no --rate, so that the last event is now; else now)
        --badRatio=R              share of malformed or invalid records (default 0)
        --duplicateRatio=R        share of byte-identical re-sends of earlier valid events (default 0)
        --lateRatio=R             share of valid events sent 2-12 minutes behind the clock (default 0)
        --source=synthetic|openweathermap
                                  weather only: poll OpenWeatherMap (key in $OPENWEATHER_API_KEY)
        --cities=A,B,...          openweathermap: cities to poll (default Madrid,London,New York)
        --pollSeconds=N           openweathermap: seconds between polls (default 60)
        --apiUrl=URL              openweathermap: API endpoint (default the public current-weather API)
      Without --count or --duration it runs until stopped (Ctrl-C), then prints the summary.
      """;

  private Generate() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      Flags flags = Flags.parse(args, FLAGS);
      if (flags.has("help")) {
        out.print(USAGE);
        return 0;
      }
      return execute(flags, out, err);
    } catch (UsageException e) {
      err.println("generate: " + e.getMessage());
      err.println("Run ./tributary help generate for the flags.");
      return 2;
    } catch (TargetException e) {
      err.println("generate: " + e.getMessage());
      return 1;
    }
  }

  private static int execute(Flags flags, PrintStream out, PrintStream err) {
    String dataset = flags.required("dataset", "weather");
    String source = flags.string("source").orElse("synthetic");
    KafkaConnection connection = connection(flags);
    String topic = flags.string("topic").orElse(dataset);
    int partitions = flags.positiveLong("partitions").orElse(4L).intValue();
    Optional<Long> count = flags.positiveLong("count");
    Optional<Double> rate = flags.positiveDouble("rate");
    Optional<Duration> duration = flags.duration("duration");
    FaultRatios ratios =
        new FaultRatios(
            flags.ratio("badRatio"), flags.ratio("duplicateRatio"), flags.ratio("lateRatio"));
    long seed = flags.anyLong("seed").orElseGet(() -> ThreadLocalRandom.current().nextLong());
    Instant start =
        flags
            .instant("startTime")
            .orElseGet(
                () ->
                    flags.has("seed")
                        ? SEEDED_START
                        : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

    RecordSource records;
    double pace;
    switch (source) {
      case "synthetic" -> {
        rejectFlags(flags, source, "cities", "pollSeconds", "apiUrl");
        DatasetGenerator generator = DatasetGenerator.forDataset(dataset);
        double nominal = io.tributary.contracts.Contract.forDataset(dataset).eventsPerSecond();
        boolean bounded = count.isPresent() || duration.isPresent();
        // Unbounded runs default to the dataset's own cadence (students: 100 students every 2 s);
        // bounded runs go as fast as they can. Either way the event clock ticks at the nominal
        // rate.
        pace = rate.orElse(bounded ? 0 : nominal);
        Instant clockStart = start;
        if (!flags.has("startTime") && !flags.has("seed") && count.isPresent() && rate.isEmpty()) {
          // As fast as it can, the run still covers count / nominal seconds of event time: it ends
          // now instead of starting now, so that no event comes from the future (the pipelines
          // quarantine an event_time more than an hour after its Kafka timestamp).
          clockStart = start.minusNanos(Math.round(count.get() * 1e9 / nominal));
        }
        records = new EventStream(generator, seed, clockStart, rate.orElse(nominal), ratios);
      }
      case "openweathermap" -> {
        if (!"weather".equals(dataset)) {
          throw new UsageException("--source=openweathermap only produces the weather dataset");
        }
        rejectFlags(
            flags, source, "badRatio", "duplicateRatio", "lateRatio", "seed", "startTime", "rate");
        records = OpenWeatherMapSource.fromFlags(flags, System.getenv());
        pace = 0;
      }
      default ->
          throw new UsageException(
              "bad value for --source: '" + source + "' is not synthetic or openweathermap");
    }

    KafkaTarget target = new KafkaTarget(connection);
    target.prepareTopic(topic, partitions);
    try (records) {
      return publish(records, target, dataset, topic, seed, count, duration, pace, out, err);
    }
  }

  /** The cluster to send to, from the connection flags (the same names as ./tributary run's). */
  static KafkaConnection connection(Flags flags) {
    String bootstrap =
        flags.has("bootstrapServers")
            ? flags.hostPorts("bootstrapServers", "127.0.0.1:9092")
            : null;
    boolean eventHubs =
        Stream.of(
                "eventHubsNamespace",
                "eventHubsConnectionString",
                "eventHubsTenantId",
                "eventHubsClientId",
                "eventHubsClientSecret")
            .anyMatch(flags::has);
    if (bootstrap == null && !eventHubs) {
      // The shape of the old message: --bootstrapServers is what most users are missing.
      flags.required("bootstrapServers", "127.0.0.1:9092");
    }
    try {
      return KafkaConnection.builder()
          .bootstrapServers(bootstrap)
          .eventHubsNamespace(flags.string("eventHubsNamespace").orElse(null))
          .eventHubsConnectionString(flags.string("eventHubsConnectionString").orElse(null))
          .eventHubsTenantId(flags.string("eventHubsTenantId").orElse(null))
          .eventHubsClientId(flags.string("eventHubsClientId").orElse(null))
          .eventHubsClientSecret(flags.string("eventHubsClientSecret").orElse(null))
          .sslTrustStore(flags.string("sslTrustStore").orElse(null))
          .build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void sendUntilDone(
      RecordSource records,
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      Tally tally,
      Progress progress,
      Pacer pacer,
      long limit,
      long deadline,
      AtomicBoolean stop,
      AtomicReference<Exception> failure)
      throws InterruptedException {
    // An interrupt stops the run (the demo stops its generator threads so): the pacer stops waiting
    // once interrupted, so a loop that went on would send as fast as it can.
    while (tally.sent() < limit
        && !stop.get()
        && !Thread.currentThread().isInterrupted()
        && failure.get() == null
        && System.nanoTime() < deadline) {
      pacer.awaitTurn(tally.sent());
      GeneratedRecord record = records.next();
      if (record == null) {
        return;
      }
      producer.send(
          new ProducerRecord<>(topic, record.key(), record.value()),
          (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
      tally.count(record);
      progress.maybeReport(tally, records);
    }
  }

  private static void rejectFlags(Flags flags, String source, String... names) {
    for (String name : names) {
      if (flags.has(name)) {
        throw new UsageException("--" + name + " does not apply to --source=" + source);
      }
    }
  }

  private static int publish(
      RecordSource records,
      KafkaTarget target,
      String dataset,
      String topic,
      long seed,
      Optional<Long> count,
      Optional<Duration> duration,
      double pace,
      PrintStream out,
      PrintStream err) {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread worker = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              stop.set(true);
              // Wakes a source that blocks between polls; the loop then flushes and prints the
              // summary.
              worker.interrupt();
              try {
                // Let the loop flush and print the summary before the JVM goes.
                finished.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "generate-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return sendAll(records, target, dataset, topic, seed, count, duration, pace, out, err, stop);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is already running: it only waits for the latch above.
      }
    }
  }

  private static int sendAll(
      RecordSource records,
      KafkaTarget target,
      String dataset,
      String topic,
      long seed,
      Optional<Long> count,
      Optional<Duration> duration,
      double pace,
      PrintStream out,
      PrintStream err,
      AtomicBoolean stop) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    Tally tally = new Tally();
    Progress progress = new Progress(err, "generate " + dataset + " → " + topic);
    Pacer pacer = new Pacer(pace);
    long deadline = duration.map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
    long limit = count.orElse(Long.MAX_VALUE);
    KafkaProducer<byte[], byte[]> producer = target.newProducer();
    try {
      sendUntilDone(
          records, producer, topic, tally, progress, pacer, limit, deadline, stop, failure);
    } catch (InterruptedException e) {
      // Stopped while the source was waiting: what was sent so far is still flushed and summarised.
    } finally {
      // Clear an interrupt from the stop hook so that closing (which flushes) is not cut short.
      Thread.interrupted();
      producer.close();
    }
    if (failure.get() != null) {
      err.println(
          "generate: sending to topic '"
              + topic
              + "' at "
              + target.describe()
              + " failed after "
              + tally.sent()
              + " records: "
              + target.explain(failure.get()));
      return 1;
    }
    err.println(progress.line(tally, records, progress.averageRate(tally)));
    out.println(tally.toJson(dataset, topic, seed, progress.seconds()));
    out.flush();
    return 0;
  }
}
