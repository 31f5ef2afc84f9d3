/** Compact coders for the rows and aggregates the pipelines shuffle. */
package io.tributary.pipelines.coders;
