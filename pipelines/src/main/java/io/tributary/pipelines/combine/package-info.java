/**
 * Drain-speed aggregation: {@link io.tributary.pipelines.combine.CombinePerKey}, Beam's per-key
 * combine with partial results merged within bundles before the shuffle on bounded input.
 */
package io.tributary.pipelines.combine;
