/**
 * The taxi trips dataset: traffic and fares per zone ({@link
 * io.tributary.pipelines.datasets.trips.ComputeZoneTraffic}) and vehicles' latest positions,
 * plugged in by {@link io.tributary.pipelines.datasets.trips.TripsGoldViews}.
 */
package io.tributary.pipelines.datasets.trips;
