package io.tributary.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.generators.DatasetGenerator;
import io.tributary.pipelines.gold.GoldViews;
import org.junit.jupiter.api.Test;

/** The demo takes its datasets from the registries, not from a list of its own. */
class DemoTest {

  @Test
  void demoGeneratesAndRunsEveryRegisteredDataset() {
    assertThat(Demo.datasets())
        .containsExactlyElementsOf(GoldViews.registered().keySet())
        .containsExactly("students", "transactions", "trips", "weather");
    assertThat(DatasetGenerator.registered().keySet()).containsAll(Demo.datasets());
  }
}
