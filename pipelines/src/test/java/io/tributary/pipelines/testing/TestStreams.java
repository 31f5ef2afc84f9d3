package io.tributary.pipelines.testing;

/**
 * Tests that drive a controlled clock with Beam's {@code TestStream} carry Beam's own category
 * {@code UsesTestStream} (JUnit 4) or this tag (JUnit 5; the vintage engine turns the category into
 * the same tag). The Spark runner has no translation for TestStream, so the Spark test executions
 * exclude the tag; those tests run on the DirectRunner.
 */
public final class TestStreams {
  public static final String TAG = "org.apache.beam.sdk.testing.UsesTestStream";

  private TestStreams() {}
}
