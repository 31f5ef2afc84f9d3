package io.tributary.interop;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Apache Spark 3.5 with delta-spark 3.x, in this JVM, reads every table that the pipelines (Delta
 * Kernel, in a JVM of their own) wrote from a real broker fed by the real generators, and appends
 * to one. This JVM holds Spark and delta-spark but no Beam, no Delta Kernel and no Tributary
 * pipeline class; the pipelines' JVM holds no Spark: neither can hide a problem of the other.
 */
class DeltaSparkInteropIT {
  @TempDir static Path work;
  static DrainedLakehouse lakehouse;
  static SparkSession spark;

  @BeforeAll
  static void drainThenStartSpark() throws IOException {
    lakehouse = DrainedLakehouse.produce(work);
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("tributary-interop")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            // Delta rebuilds each table's snapshot with 50 tasks by default: small tables, 2 cores.
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.warehouse.dir", work.resolve("warehouse").toString())
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void sparkAndThePipelinesNeverShareAClasspath() {
    assertThat(loadable("org.apache.spark.sql.SparkSession")).isTrue();
    assertThat(loadable("io.delta.tables.DeltaTable")).isTrue();
    for (String absent :
        List.of(
            "org.apache.beam.sdk.Pipeline",
            "io.delta.kernel.Table",
            "io.tributary.pipelines.Run",
            "io.tributary.generators.Generate",
            "io.tributary.contracts.EventParser",
            "kafka.server.KafkaRaftServer")) {
      assertThat(loadable(absent)).as(absent + " on the Spark side").isFalse();
    }
    assertThat(scala.util.Properties.versionNumberString()).startsWith("2.12.");
    // And the other way round: what the drain and the generators ran on.
    for (ModuleJvm module : List.of(DrainedLakehouse.pipelines(), DrainedLakehouse.generators())) {
      List<String> jars = List.of(module.classpath().split(File.pathSeparator));
      assertThat(jars).anyMatch(jar -> jar.contains("kafka-clients"));
      assertThat(jars)
          .noneMatch(jar -> jar.contains("/spark-") || jar.contains("scala-library"))
          .noneMatch(jar -> jar.contains("delta-spark"));
    }
  }

  @Test
  void everyTableOpensWithTheColumnsAndTypesWeMeant() throws IOException {
    List<String> found = lakehouse.tables();
    assertThat(found).containsAll(ExpectedTables.schemas().keySet());
    SoftAssertions softly = new SoftAssertions();
    for (String table : found) {
      softly.assertThat(read(table).count()).as("rows of " + table).isPositive();
    }
    ExpectedTables.schemas()
        .forEach(
            (table, columns) ->
                softly
                    .assertThat(ExpectedTables.columns(read(table).schema()))
                    .as("columns of " + table)
                    .containsExactlyElementsOf(columns));
    softly.assertAll();
  }

  @ParameterizedTest
  @ValueSource(strings = {"weather", "students", "trips", "transactions"})
  void bronzeSilverAndQuarantineHoldWhatTheGeneratorSent(String dataset) {
    Dataset<Row> bronze = read("bronze/" + dataset);
    Dataset<Row> silver = read("silver/" + dataset);
    Dataset<Row> quarantine = read("quarantine/" + dataset);
    long sent = lakehouse.count(dataset, "sent");
    long malformed = lakehouse.count(dataset, "malformed");
    long invalid = lakehouse.count(dataset, "invalid");

    assertThat(bronze.count()).as("bronze rows = sent").isEqualTo(sent);
    assertThat(bronze.select("partition", "offset").distinct().count())
        .as("distinct Kafka positions in bronze")
        .isEqualTo(sent);
    assertThat(silver.count())
        .as("silver rows = valid")
        .isEqualTo(lakehouse.count(dataset, "valid"));
    assertThat(silver.select("event_id").distinct().count())
        .as("distinct event_id in silver")
        .isEqualTo(silver.count());
    assertThat(quarantine.count())
        .as("quarantine rows = malformed + invalid")
        .isEqualTo(malformed + invalid);
    assertThat(quarantine.where(col("stage").equalTo("parse")).count())
        .as("quarantine rows of stage parse = malformed")
        .isEqualTo(malformed);
  }

  @Test
  void goldHasOneOnTimeRowPerWindowAndKey() {
    for (ExpectedTables.GoldView view : ExpectedTables.WINDOWED_VIEWS) {
      Dataset<Row> gold = read(view.table());
      List<Column> windowAndKeys =
          Stream.concat(Stream.of("window_start"), view.keys().stream()).map(Column::new).toList();
      long rows = gold.count();
      assertThat(rows).as(view.name()).isPositive();
      assertThat(gold.select(windowAndKeys.toArray(Column[]::new)).distinct().count())
          .as("one row per (window, key) in " + view.name())
          .isEqualTo(rows);
      assertThat(gold.where(col("pane_timing").notEqual("ON_TIME")).count())
          .as("late panes in " + view.name())
          .isZero();
      long width = view.window().toSeconds();
      assertThat(
              gold.where(
                      col("window_end")
                          .cast("long")
                          .minus(col("window_start").cast("long"))
                          .notEqual(width))
                  .count())
          .as("windows of " + width + " s in " + view.name())
          .isZero();
    }
    Dataset<Row> alerts = read(ExpectedTables.ALERTS);
    assertThat(alerts.count()).as("transaction_alerts rows").isPositive();
    assertThat(alerts.select("transaction_id", "rule").distinct().count())
        .as("one transaction_alerts row per (transaction_id, rule)")
        .isEqualTo(alerts.count());
  }

  @Test
  void weatherGoldEqualsSparksOwnAggregationOfSilver() {
    Dataset<Row> silver = read("silver/weather");
    Dataset<Row> latest =
        read("gold/weather_by_city_1m")
            .withColumn(
                "rank",
                row_number()
                    .over(Window.partitionBy("window_start", "city").orderBy(desc("pane_index"))))
            .where(col("rank").equalTo(1));
    long readings = latest.agg(sum("readings")).first().getLong(0);
    assertThat(readings)
        .as("sum(readings) of the latest panes = silver rows")
        .isEqualTo(silver.count());

    // Spark buckets silver's event_time itself: any shift in how either side reads a timestamp
    // moves readings to other windows.
    Dataset<Row> bySpark =
        silver
            .groupBy(
                window(col("event_time"), "1 minute").getField("start").as("window_start"),
                col("city"))
            .count()
            .withColumnRenamed("count", "readings");
    Dataset<Row> byPipeline = latest.select("window_start", "city", "readings");
    assertThat(bySpark.except(byPipeline).count())
        .as("(window, city, readings) Spark computes from silver and gold lacks")
        .isZero();
    assertThat(byPipeline.except(bySpark).count())
        .as("(window, city, readings) in gold that Spark does not compute from silver")
        .isZero();
  }

  /**
   * Silver tables are created with delta.enableChangeDataFeed=true and only ever appended to:
   * Spark's change feed lists each silver row once, as an insert.
   */
  @ParameterizedTest
  @ValueSource(strings = {"weather", "students", "trips", "transactions"})
  void silverChangeDataFeedHasOneInsertPerRow(String dataset) {
    Dataset<Row> changes =
        spark
            .read()
            .format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", 0)
            .load(lakehouse.table("silver/" + dataset));
    assertThat(changes.columns()).contains("_change_type", "_commit_version", "_commit_timestamp");
    long silverRows = read("silver/" + dataset).count();
    assertThat(changes.count()).as("change rows = silver rows").isEqualTo(silverRows);
    assertThat(changes.where(col("_change_type").equalTo("insert")).count())
        .as("insert rows = silver rows")
        .isEqualTo(silverRows);
    assertThat(changes.select("event_id").distinct().count())
        .as("distinct event_id among the changes")
        .isEqualTo(silverRows);
  }

  /** The latest-state table gold/students_unique, as Spark reads it: one row per student. */
  @Test
  void studentsUniqueHasOneRowPerStudent() {
    Dataset<Row> unique = read("gold/students_unique");
    Row counts = unique.agg(count(lit(1)), countDistinct("student_id")).first();
    long silverStudents =
        read("silver/students").select(countDistinct("student_id")).first().getLong(0);
    assertThat(counts.getLong(0))
        .as("rows of students_unique = its distinct student_id")
        .isPositive()
        .isEqualTo(counts.getLong(1));
    assertThat(counts.getLong(0))
        .as("rows of students_unique = distinct student_id in silver")
        .isEqualTo(silverStudents);
  }

  @Test
  void deltaSparkAppendsToACopyOfBronze() throws IOException {
    Path copy = work.resolve("bronze-weather-copy");
    copyTree(lakehouse.root().resolve("bronze/weather"), copy);
    DeltaTable table = DeltaTable.forPath(spark, copy.toString());
    long versionBefore = table.history(1).first().<Long>getAs("version");
    long rowsBefore = table.toDF().count();
    List<Row> some = table.toDF().orderBy("partition", "offset").limit(10).collectAsList();

    spark
        .createDataFrame(some, table.toDF().schema())
        .write()
        .format("delta")
        .mode("append")
        .save(copy.toString());

    Row last = DeltaTable.forPath(spark, copy.toString()).history(1).first();
    assertThat(last.<Long>getAs("version")).isEqualTo(versionBefore + 1);
    assertThat(last.<String>getAs("operation")).isEqualTo("WRITE");
    assertThat(spark.read().format("delta").load(copy.toString()).count())
        .isEqualTo(rowsBefore + 10);
    assertThat(read("bronze/weather").count()).isEqualTo(rowsBefore);
  }

  private static Dataset<Row> read(String table) {
    return spark.read().format("delta").load(lakehouse.table(table));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static boolean loadable(String className) {
    try {
      Class.forName(className, false, DeltaSparkInteropIT.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
