package io.tributary.pipelines.lakehouse.storage;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.tributary.pipelines.lakehouse.delta.LocalLogStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * File-system access for the lakehouse, through Hadoop's {@link FileSystem} so that local
 * directories and {@code abfss://} (Hadoop's ABFS connector) behave the same; and the one place
 * that configures Delta Kernel's engine.
 */
public final class LakeFiles {
  /**
   * Kernel 4.x writes UNCOMPRESSED Parquet unless this is set (see the shared Delta Kernel notes).
   */
  private static final String COMPRESSION = "SNAPPY";

  private LakeFiles() {}

  /** Stores of the lakehouses this JVM writes or reads (see {@link #register}). */
  private static final Set<LakeStorage> STORAGES = ConcurrentHashMap.newKeySet();

  /**
   * Makes {@code storage}'s settings part of every configuration built here from now on. Called
   * where a lakehouse is opened and in every DoFn's setup, so executors know the store too.
   */
  public static void register(LakeStorage storage) {
    if (storage.isAbfs()) {
      STORAGES.add(storage);
    }
  }

  /**
   * Hadoop's defaults, parsed once: a new {@code Configuration} parses its XML resources on first
   * use, which cost a cycle of a streaming run tens of milliseconds per engine.
   */
  private static final Configuration DEFAULTS = loadedDefaults();

  private static Configuration loadedDefaults() {
    Configuration defaults = new Configuration();
    defaults.size();
    return defaults;
  }

  /** Hadoop configuration shared by every engine and file-system call. */
  public static Configuration hadoopConf() {
    Configuration conf = new Configuration(DEFAULTS);
    if (!STORAGES.isEmpty()) {
      // Remote stores: the cluster's settings first (its credentials), then each lakehouse's own.
      ClusterHadoopSettings.current().forEach(conf::set);
      STORAGES.forEach(storage -> storage.applyAvailableTo(conf, System::getenv));
    }
    conf.set("parquet.compression", COMPRESSION);
    // One file per shard and pane: maxRowsPerFile bounds file size, Kernel must not roll files.
    conf.set(
        "delta.kernel.default.parquet.writer.targetMaxFileSize", Long.toString(Long.MAX_VALUE));
    // Local paths: commit with an atomic create-if-absent (see LocalLogStore), and skip Hadoop's
    // .crc
    // side files, which two writers of the same name can leave out of step with the file.
    conf.set("io.delta.kernel.logStore.file.impl", LocalLogStore.class.getName());
    conf.set("fs.file.impl", LocalFileSystem.class.getName());
    conf.set(
        "fs.AbstractFileSystem.file.impl", org.apache.hadoop.fs.local.RawLocalFs.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", false);
    return conf;
  }

  /** A new Kernel engine. Engines are not serializable: DoFns create one in {@code @Setup}. */
  public static Engine engine() {
    return DefaultEngine.create(hadoopConf());
  }

  /** Hadoop's (cached, shared) file system for the path; do not close or reconfigure it. */
  public static FileSystem fileSystem(String path) {
    try {
      return new Path(path).getFileSystem(hadoopConf());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot access " + path, e);
    }
  }

  /** The file's UTF-8 text, or empty if it does not exist. */
  public static Optional<String> readString(String path) {
    FileSystem fs = fileSystem(path);
    try (FSDataInputStream in = fs.open(new Path(path))) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /**
   * Replaces the file's content so that readers see the old or the new content, never a partial
   * one: write a temporary sibling, then rename it over the target. POSIX rename replaces
   * atomically; stores whose rename refuses to overwrite (HDFS, ABFS) fall back to
   * delete-then-rename, where a crash in between leaves no file.
   */
  public static void writeStringAtomically(String path, String content) {
    FileSystem fs = fileSystem(path);
    Path target = new Path(path);
    Path temp =
        new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (OutputStream out = fs.create(temp, false)) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
      if (!fs.rename(temp, target)) {
        fs.delete(target, false);
        if (!fs.rename(temp, target)) {
          throw new IOException("rename of " + temp + " to " + target + " failed");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }
}
