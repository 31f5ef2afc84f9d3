package io.tributary.kafka.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes PEM blocks, and writes files that only their owner may read.
 *
 * <p>Keys and the connection string are created owner-only from the first byte (the permissions are
 * given when the file is created, not changed afterwards), and replaced by an atomic rename so a
 * crash never leaves half a key behind.
 */
final class PemFiles {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private PemFiles() {}

  /** One PEM block: its type (e.g. CERTIFICATE, PRIVATE KEY) and its DER bytes. */
  record Block(String type, byte[] der) {}

  static String encode(String type, byte[] der) {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }

  /** Every PEM block of {@code file}, in order. */
  static List<Block> read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      try {
        blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
      } catch (IllegalArgumentException e) {
        throw new IOException("a " + matcher.group(1) + " block of " + file + " is not base64");
      }
    }
    return blocks;
  }

  /** Replaces {@code file} with {@code text}, readable by its owner only. */
  static void writePrivate(Path file, String text) throws IOException {
    write(file, text, "rw-------");
  }

  /** Replaces {@code file} with {@code text}, readable by anyone (certificates). */
  static void writePublic(Path file, String text) throws IOException {
    write(file, text, "rw-r--r--");
  }

  private static void write(Path file, String text, String permissions) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (POSIX) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
    }
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
