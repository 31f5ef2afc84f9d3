package io.tributary.pipelines.lakehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class LocalFileSystemTest {

  @Test
  void setsPermissionsWithoutAChildProcess(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("data.parquet");
    FileSystem fs = LakeFiles.fileSystem(file.toString());
    assertThat(fs).isInstanceOf(LocalFileSystem.class);
    long childrenBefore = ProcessHandle.current().descendants().count();
    try (FSDataOutputStream out =
        fs.create(
            new org.apache.hadoop.fs.Path(file.toUri()),
            new FsPermission((short) 0640),
            true,
            4096,
            (short) 1,
            1 << 20,
            null)) {
      out.write(1);
    }
    fs.setPermission(new org.apache.hadoop.fs.Path(file.toUri()), new FsPermission((short) 0604));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw----r--");
    assertThat(ProcessHandle.current().descendants().count()).isEqualTo(childrenBefore);
  }
}
