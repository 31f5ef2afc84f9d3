package io.tributary.pipelines.lakehouse.append;

import io.tributary.pipelines.lakehouse.Lakehouse;
import io.tributary.pipelines.lakehouse.TableFormat;
import io.tributary.pipelines.lakehouse.TableSpec;
import io.tributary.pipelines.lakehouse.delta.AppendCommit;
import io.tributary.pipelines.lakehouse.files.DataFile;
import io.tributary.pipelines.lakehouse.parquet.ParquetTables;
import io.tributary.pipelines.offsets.OffsetRanges;
import io.tributary.pipelines.offsets.UnionOffsets;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterFirst;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * Appends rows to a lakehouse table (created beforehand with {@link Lakehouse#create}), in Delta or
 * plain Parquet.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Bounded input: every row is committed by the end of the run, each bundle written as one
 *       file (or several of at most {@code maxRowsPerFile} rows) without a shuffle. Unbounded
 *       input: a row is committed at the latest about {@code flushInterval} after its shard's pane
 *       started, or once the shard holds {@code maxRowsPerFile} rows.
 *   <li>Each pane of each of the {@code shards} shards becomes one Parquet file; all files of a
 *       commit pane are committed together by a single committer: atomically for Delta (one
 *       transaction, with the Kafka offsets the table accounts for if {@link WriteSettings#lineage}
 *       is set), file by file for Parquet (see {@link ParquetTables}).
 *   <li>Input windowing is discarded: rows are re-windowed into the global window; row order is not
 *       preserved.
 *   <li>Output: per commit, the number of rows committed.
 * </ul>
 *
 * <p>Uses only GroupByKey and stateless DoFns (no state, timers, GroupIntoBatches or splittable
 * DoFns), so it runs on the Spark streaming runner too. With lineage on Delta, rows of offsets the
 * table already accounted for are never committed again: not after a restart ({@link #skipping}),
 * not from a bundle retried after its commit, not from a second pipeline (see {@link
 * AppendCommit}).
 */
public final class WriteTable extends PTransform<PCollection<Row>, PCollection<Long>> {
  /** All files of a pane go to one committer: one key. */
  private static final int COMMIT_KEY = 0;

  private final TableSpec table;
  private final TableFormat format;
  private final WriteSettings settings;
  private final PCollection<OffsetRanges> accountedWithoutRows;
  private final OffsetRanges alreadyCommitted;

  private WriteTable(
      TableSpec table,
      TableFormat format,
      WriteSettings settings,
      PCollection<OffsetRanges> accountedWithoutRows,
      OffsetRanges alreadyCommitted) {
    super("WriteTable(" + table.name() + ")");
    this.table = table;
    this.format = format;
    this.settings = settings;
    this.accountedWithoutRows = accountedWithoutRows;
    this.alreadyCommitted = alreadyCommitted;
  }

  public static WriteTable to(TableSpec table, TableFormat format, WriteSettings settings) {
    return new WriteTable(table, format, settings, null, null);
  }

  /**
   * Also commits these Kafka offsets as accounted for, without rows: records of the table's topic
   * that were looked at and do not belong in it (they went to another table or were duplicates).
   * They are batched like rows (one union per flush) and committed with the files.
   */
  public WriteTable accountingFor(PCollection<OffsetRanges> offsets) {
    return new WriteTable(table, format, settings, offsets, alreadyCommitted);
  }

  /**
   * Drops rows whose Kafka offset is in {@code committed} before writing them: records a restarted
   * pipeline reads again although this table already has them.
   */
  public WriteTable skipping(OffsetRanges committed) {
    return new WriteTable(table, format, settings, accountedWithoutRows, committed.copy());
  }

  @Override
  public PCollection<Long> expand(PCollection<Row> rows) {
    table.checkRows(rows, settings.lineage());
    if ((accountedWithoutRows != null || alreadyCommitted != null)
        && settings.lineage().isEmpty()) {
      throw new IllegalArgumentException(
          "table " + table.name() + " accounts for Kafka offsets: its write settings need lineage");
    }
    // Rows the table already has are left out by the file writers (no step of its own, so the
    // pipeline's shape does not depend on what the table holds).
    SerializableCoder<DataFile> fileCoder = SerializableCoder.of(DataFile.class);
    boolean bounded = rows.isBounded() == PCollection.IsBounded.BOUNDED;
    PCollection<DataFile> files = bounded ? writeBundles(rows) : writeShardPanes(rows, fileCoder);
    files.setCoder(fileCoder);
    if (accountedWithoutRows != null) {
      files = withAccountedOffsets(files, bounded, fileCoder);
    }
    return files
        .apply("KeyForCommit", WithKeys.of(COMMIT_KEY))
        .setCoder(KvCoder.of(VarIntCoder.of(), fileCoder))
        .apply("GroupForCommit", GroupByKey.create())
        .apply("Commit", ParDo.of(new CommitDataFiles(table, format, settings.accountedTopic())))
        .setCoder(VarLongCoder.of());
  }

  /**
   * Adds the offsets accounted for without rows to the files to commit, as one union per flush
   * (streaming) or one for the whole input (bounded), so that they add no commits of their own.
   */
  private PCollection<DataFile> withAccountedOffsets(
      PCollection<DataFile> files, boolean bounded, SerializableCoder<DataFile> fileCoder) {
    PCollection<OffsetRanges> offsets =
        accountedWithoutRows.apply(
            "BatchAccounted",
            bounded
                ? Window.<OffsetRanges>into(new GlobalWindows())
                : Window.<OffsetRanges>into(new GlobalWindows())
                    .triggering(
                        Repeatedly.forever(
                            AfterProcessingTime.pastFirstElementInPane()
                                .plusDelayOf(settings.flushInterval())))
                    .discardingFiredPanes()
                    .withAllowedLateness(Duration.ZERO));
    PCollection<DataFile> accounted =
        offsets
            .apply("UnionAccounted", Combine.globally(UnionOffsets.of()).withoutDefaults())
            .setCoder(SerializableCoder.of(OffsetRanges.class))
            .apply(
                "AccountedOnly",
                MapElements.into(TypeDescriptor.of(DataFile.class)).via(DataFile::accountedOnly))
            .setCoder(fileCoder);
    PCollectionList<DataFile> both = PCollectionList.of(files).and(accounted);
    if (!bounded) {
      // Whichever arrives, files or offsets, is committed at once, as files alone were before.
      both =
          PCollectionList.of(
                  files.apply(
                      "CommitEachFilePane",
                      Window.<DataFile>configure()
                          .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                          .discardingFiredPanes()
                          .withAllowedLateness(Duration.ZERO)))
              .and(
                  accounted.apply(
                      "CommitEachOffsetsPane",
                      Window.<DataFile>configure()
                          .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                          .discardingFiredPanes()
                          .withAllowedLateness(Duration.ZERO)));
    }
    return both.apply("WithAccounted", Flatten.pCollections()).setCoder(fileCoder);
  }

  /** Bounded input: one file per bundle (or per maxRowsPerFile rows), no shuffle of the rows. */
  private PCollection<DataFile> writeBundles(PCollection<Row> rows) {
    // Rows already in the global window (bronze, quarantine and silver of a drain) are not
    // re-windowed: on the DirectRunner every step costs per element.
    PCollection<Row> whole =
        inGlobalWindow(rows)
            ? rows
            : rows.apply("WholeInput", Window.<Row>into(new GlobalWindows()));
    return whole.apply(
        "WriteBundleFiles",
        ParDo.of(
            new WriteBundleFiles(
                table,
                format,
                settings.lineage().orElse(null),
                alreadyCommitted,
                settings.maxRowsPerFile())));
  }

  /** Whether {@code rows} are in the global window with its default trigger already. */
  public static boolean inGlobalWindow(PCollection<?> rows) {
    return rows.getWindowingStrategy().getWindowFn() instanceof GlobalWindows
        && rows.getWindowingStrategy().getTrigger() instanceof DefaultTrigger;
  }

  /** Unbounded input: flush each shard every flushInterval (or maxRowsPerFile rows) as one file. */
  private PCollection<DataFile> writeShardPanes(
      PCollection<Row> rows, SerializableCoder<DataFile> fileCoder) {
    return rows.apply(
            "Batch",
            Window.<Row>into(new GlobalWindows())
                .triggering(
                    Repeatedly.forever(
                        AfterFirst.of(
                            AfterPane.elementCountAtLeast(settings.maxRowsPerFile()),
                            AfterProcessingTime.pastFirstElementInPane()
                                .plusDelayOf(settings.flushInterval()))))
                .discardingFiredPanes()
                .withAllowedLateness(Duration.ZERO))
        .apply("AssignShard", ParDo.of(new AssignShard(settings.shards())))
        .setCoder(KvCoder.of(VarIntCoder.of(), rows.getCoder()))
        .apply("GroupByShard", GroupByKey.create())
        .apply(
            "WriteFiles",
            ParDo.of(
                new WriteDataFiles(
                    table, format, settings.lineage().orElse(null), alreadyCommitted)))
        .setCoder(fileCoder);
  }

  /**
   * Spreads rows round-robin over the shards. Each instance starts at a random shard so that many
   * small bundles do not all land on shard 0.
   */
  private static final class AssignShard extends DoFn<Row, KV<Integer, Row>> {
    private final int shards;
    private transient int next;

    AssignShard(int shards) {
      this.shards = shards;
    }

    @Setup
    public void setup() {
      next = ThreadLocalRandom.current().nextInt(shards);
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<Integer, Row>> out) {
      out.output(KV.of(next, row));
      next = (next + 1) % shards;
    }
  }
}
