/**
 * Tributary's medallion pipelines: Kafka → bronze → silver (and quarantine) → gold, in Delta or
 * Parquet, on any Beam runner. Start with {@link io.tributary.pipelines.Run} (the command), {@link
 * io.tributary.pipelines.Cycles} (streaming and drains as a loop of bounded cycles) and {@link
 * io.tributary.pipelines.MedallionPipeline} (what one cycle wires: each dataset's stages as named
 * composite transforms).
 */
package io.tributary.pipelines;
