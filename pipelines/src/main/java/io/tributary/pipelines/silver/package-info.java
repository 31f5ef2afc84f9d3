/**
 * Silver: each record parsed and validated against its dataset's contract ({@link
 * io.tributary.pipelines.silver.ParseEvents}; failures go to quarantine with the reason), then
 * de-duplicated by {@code event_id} ({@link io.tributary.pipelines.silver.DeduplicateEvents}, with
 * the ids silver already holds: {@link io.tributary.pipelines.silver.KnownEvents}).
 */
package io.tributary.pipelines.silver;
