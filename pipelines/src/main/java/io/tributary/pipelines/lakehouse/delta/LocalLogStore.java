package io.tributary.pipelines.lakehouse.delta;

import io.delta.storage.HadoopFileSystemLogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;

/**
 * Delta log store for local paths that stays correct with several writers in several JVMs.
 *
 * <p>A Delta commit must create {@code N.json} only if no other writer did. Hadoop's local rename
 * checks and renames in two steps, so two processes can both "win" and one commit is overwritten.
 * Here the commit is written to a temporary file and published with a hard link, which the
 * operating system creates atomically and refuses if the name exists; the loser gets {@link
 * FileAlreadyExistsException}, which Delta treats as a conflict and retries.
 */
public final class LocalLogStore extends HadoopFileSystemLogStore {

  public LocalLogStore(Configuration conf) {
    super(conf);
  }

  @Override
  public void write(
      org.apache.hadoop.fs.Path path,
      Iterator<String> actions,
      Boolean overwrite,
      Configuration conf)
      throws IOException {
    Path target = Path.of(path.toUri());
    Files.createDirectories(target.getParent());
    Path temp =
        target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (var out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        while (actions.hasNext()) {
          out.write(actions.next());
          out.write('\n');
        }
      }
      if (Boolean.TRUE.equals(overwrite)) {
        Files.move(
            temp,
            target,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return;
      }
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException(target.toString());
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * True: a file written in place on a local disk is visible while half written. Kernel asks this
   * before writing checkpoints, and then writes them to a temporary name and renames, so readers
   * never see a partial one.
   */
  @Override
  public Boolean isPartialWriteVisible(org.apache.hadoop.fs.Path path, Configuration conf) {
    return true;
  }
}
