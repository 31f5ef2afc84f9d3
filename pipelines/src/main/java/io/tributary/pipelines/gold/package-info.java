/**
 * Gold: event-time windowed views of silver. Datasets plug in their views ({@link
 * io.tributary.pipelines.gold.GoldViews}); this package owns the windowing ({@link
 * io.tributary.pipelines.gold.GoldWindows}) and what gold is computed from besides the new rows
 * ({@link io.tributary.pipelines.gold.SilverHistory}).
 */
package io.tributary.pipelines.gold;
