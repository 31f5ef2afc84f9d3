package io.tributary.pipelines.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * Names a version of a streaming pipeline, for its checkpoint directory: a hash of the build's
 * version, the run's arguments (which fix every option, so every value serialized into the graph)
 * and the graph itself (each transform's full name and class, each collection's coder class,
 * boundedness and windowing). Building the same pipeline from the same build and arguments gives
 * the same fingerprint; changing any of them gives another.
 *
 * <p>Not covered: a code change inside a DoFn that leaves all of that unchanged. Release a new
 * version (or pass {@code --checkpointDir}) to start such a change from a fresh checkpoint.
 */
public final class PipelineFingerprint {
  /** Arguments that say where the checkpoint is, not what the pipeline does. */
  private static final List<String> IGNORED = List.of("--checkpointDir=");

  private PipelineFingerprint() {}

  /** 16 hex digits. */
  public static String of(Pipeline pipeline, List<String> args) {
    MessageDigest digest = sha256();
    update(digest, "version " + buildVersion());
    args.stream()
        .filter(arg -> IGNORED.stream().noneMatch(arg::startsWith))
        .sorted()
        .forEach(arg -> update(digest, "arg " + arg));
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            transform(node);
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            transform(node);
          }

          private void transform(TransformHierarchy.Node node) {
            if (node.getTransform() != null) {
              update(
                  digest,
                  "transform "
                      + node.getFullName()
                      + " "
                      + node.getTransform().getClass().getName());
            }
          }

          @Override
          public void visitValue(PValue value, TransformHierarchy.Node producer) {
            if (value instanceof PCollection<?> collection) {
              update(
                  digest,
                  "collection "
                      + collection.getName()
                      + " "
                      + collection.getCoder().getClass().getName()
                      + " "
                      + collection.isBounded()
                      + " "
                      + windowing(collection.getWindowingStrategy()));
            }
          }
        });
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  /** Only parts with a stable text form (a WindowFn may not override toString). */
  private static String windowing(WindowingStrategy<?, ?> strategy) {
    String windowFn = strategy.getWindowFn().getClass().getName();
    if (strategy.getWindowFn() instanceof FixedWindows fixed) {
      windowFn += " " + fixed.getSize() + " " + fixed.getOffset();
    }
    return windowFn
        + " "
        + strategy.getTrigger()
        + " "
        + strategy.getAllowedLateness()
        + " "
        + strategy.getMode()
        + " "
        + strategy.getTimestampCombiner();
  }

  /** The project version this build was made from. */
  public static String buildVersion() {
    Properties build = new Properties();
    try (InputStream in =
        PipelineFingerprint.class.getResourceAsStream("/io/tributary/pipelines/build.properties")) {
      if (in != null) {
        build.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the build properties", e);
    }
    return build.getProperty("version", "unknown");
  }

  private static void update(MessageDigest digest, String part) {
    digest.update(part.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
