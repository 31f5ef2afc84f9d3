/**
 * The datasets, one package each: its gold views ({@link io.tributary.pipelines.gold.GoldViews},
 * registered with {@code ServiceLoader}) and their transforms. A new dataset adds a package here,
 * its contract and its generator.
 */
package io.tributary.pipelines.datasets;
