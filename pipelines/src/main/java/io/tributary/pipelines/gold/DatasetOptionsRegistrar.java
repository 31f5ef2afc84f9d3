package io.tributary.pipelines.gold;

import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Registers the options each dataset declares ({@link GoldViews#options()}) with Beam ({@code
 * META-INF/services/org.apache.beam.sdk.options.PipelineOptionsRegistrar}), so that parsing the
 * arguments of a run accepts them wherever it happens, and a dataset adds its flags in its own
 * package.
 */
public final class DatasetOptionsRegistrar implements PipelineOptionsRegistrar {

  @Override
  public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
    return GoldViews.registered().values().stream()
        .flatMap(views -> views.options().stream())
        .toList();
  }
}
